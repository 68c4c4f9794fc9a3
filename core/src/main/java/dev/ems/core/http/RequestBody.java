package dev.ems.core.http;

import io.helidon.common.buffers.DataReader;
import io.helidon.http.RequestException;
import io.helidon.webserver.http.ServerRequest;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Reading a request body, the one way every EMS endpoint does: whole, within the server's {@link BodyDeadline}, as
 * strict UTF-8 (a byte sequence that is not UTF-8 is refused, never replaced). A body that fails to arrive whole is
 * the client's error, and its connection is closed after the answer: where the body ends, and so where the next
 * request starts, is no longer known.
 */
final class RequestBody {
    private RequestBody() {}

    /** The body as text. */
    static String text(ServerRequest req) {
        try {
            return StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes(req)))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new ApiException(CommonErrorCode.INVALID_JSON, "request body is not valid UTF-8");
        }
    }

    /**
     * Reads and drops a body nobody read (its request was refused before), within the body deadline; Helidon would
     * read it after the answer for as long as the client takes to send it (a trickled body: forever).
     */
    static void discard(ServerRequest req) {
        if (req.content().hasEntity() && !req.content().consumed()) {
            try {
                bytes(req);
            } catch (RuntimeException e) {
                // bytes() marked the connection to be closed; the refusal being answered stays what it was
            }
        }
    }

    private static byte[] bytes(ServerRequest req) {
        try {
            return req.context()
                    .get(BodyDeadline.class)
                    .map(deadline -> deadline.read(() -> req.content().as(byte[].class)))
                    .orElseGet(() -> req.content().as(byte[].class));
        } catch (RuntimeException e) {
            RequestContext.of(req).ifPresent(RequestContext::closeConnection);
            if (e instanceof ApiException || e instanceof RequestException) {
                throw e; // the deadline's 408; Helidon's own answers (413 beyond the payload limit, a broken last
                // chunk)
            }
            if (e instanceof DataReader.InsufficientDataAvailableException || e instanceof UncheckedIOException) {
                throw new ApiException(
                        CommonErrorCode.BAD_REQUEST, "the request body ended early (the connection was closed)");
            }
            throw new ApiException(CommonErrorCode.BAD_REQUEST, "the request body is malformed (its chunked encoding)");
        }
    }
}
