package dev.ems.core.http;

import dev.ems.core.db.DbErrors;
import dev.ems.core.log.LogText;
import io.helidon.http.BadRequestException;
import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.http.HttpException;
import io.helidon.http.NotFoundException;
import io.helidon.webserver.CloseConnectionException;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.util.List;

/**
 * The one place where exceptions become error envelopes (and where a failure nobody expected is recovered from: a
 * 500 envelope, the stack trace only in the log).
 * Nothing here ever puts an exception message of a library, a class name, SQL or a stack trace into a response:
 * only {@link ApiException} messages, which EMS writes itself, reach the client.
 */
public final class ErrorHandlers {
    private static final System.Logger LOGGER = System.getLogger(ErrorHandlers.class.getName());
    /** Seconds a client should wait before retrying when a dependency (the database) is unavailable. */
    private static final String UNAVAILABLE_RETRY_AFTER = "5";

    private ErrorHandlers() {}

    public static void register(HttpRouting.Builder routing) {
        routing.error(ApiException.class, ErrorHandlers::apiException)
                .error(Throwable.class, ErrorHandlers::unexpected);
    }

    private static void apiException(ServerRequest req, ServerResponse res, ApiException e) {
        send(req, res, e);
    }

    /**
     * Answers with the envelope of {@code e} right away. For filters: an exception thrown by a filter is handled
     * only after the outer filters (access log, metrics) have finished, so they would see the wrong status.
     */
    public static void respond(ServerRequest req, ServerResponse res, ApiException e) {
        send(req, res, e);
    }

    private static void unexpected(ServerRequest req, ServerResponse res, Throwable e) {
        send(req, res, translate(req, e));
    }

    /** Maps what the server, the JSON layer and the database throw onto EMS error codes. */
    private static ApiException translate(ServerRequest req, Throwable e) {
        if (e instanceof NotFoundException) {
            RequestContext.of(req).ifPresent(RequestContext::markUnmatchedRoute);
            return new ApiException(
                    CommonErrorCode.NOT_FOUND,
                    "no such endpoint: " + req.prologue().method().text() + " "
                            + req.path().absolute().path());
        }
        if (e instanceof BadRequestException) {
            return new ApiException(CommonErrorCode.BAD_REQUEST, "malformed request");
        }
        if (e instanceof HttpException he) {
            ErrorCode code = CommonErrorCode.forStatus(he.status().code());
            if (code != CommonErrorCode.INTERNAL_ERROR) {
                return new ApiException(code, he.status().reasonPhrase());
            }
        }
        if (DbErrors.isUnavailable(e)) {
            LOGGER.log(Level.WARNING, "database unavailable: " + DbErrors.describe(e));
            return new ApiException(
                    CommonErrorCode.SERVICE_UNAVAILABLE,
                    "the database is unavailable, retry later",
                    List.of(),
                    java.util.Map.of(HeaderNames.RETRY_AFTER.defaultCase(), UNAVAILABLE_RETRY_AFTER));
        }
        LOGGER.log(
                Level.ERROR,
                "unexpected error on " + LogText.cut(req.prologue().method().text(), 16) + " "
                        + LogText.cut(req.path().absolute().path(), 256),
                e);
        return new ApiException(CommonErrorCode.INTERNAL_ERROR, "internal server error");
    }

    private static void send(ServerRequest req, ServerResponse res, ApiException e) {
        RequestContext.of(req).ifPresent(ctx -> {
            ctx.errorCode(e.code());
            ctx.reapplyHeaders(res);
            // refused before its body was read: read it away now, within the body deadline (Helidon would read it
            // after the answer for as long as the client takes to send it: a trickled body, forever); a connection
            // closing anyway (broken framing: where the body ends is unknown) is not read further
            if (!ctx.closesConnection()) {
                RequestBody.discard(req);
            }
            if (ctx.closesConnection()) {
                res.header(HeaderValues.CONNECTION_CLOSE);
            }
        });
        e.headers().forEach((name, value) -> res.header(HeaderNames.create(name), value));
        try {
            Json.send(res, e.code().status(), ApiResponse.failure(e.code(), e.getMessage(), e.details()));
        } catch (UncheckedIOException | CloseConnectionException gone) {
            // the client is gone (it closed the connection, or the body deadline closed it): nothing to answer to,
            // and nothing for the log beyond the access line with the status it would have had
            LOGGER.log(
                    Level.DEBUG, "client gone before its " + e.code().status().code() + " answer: " + gone);
        }
    }
}
