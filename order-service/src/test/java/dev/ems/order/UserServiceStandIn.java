package dev.ems.order;

import io.helidon.http.HeaderValues;
import io.helidon.http.Status;
import io.helidon.webserver.WebServer;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A real HTTP server playing user-service for order-service's tests: it answers {@code GET /api/v1/users/{id}}
 * the way the test tells it to (an active user, a user in some status, 404, 500, or after a delay; owned by nobody, or
 * by the token subject the test gives, see {@link #owner}), and records every call it receives with its X-Request-ID
 * and its Authorization. {@link #stop()} makes connections to it be refused.
 */
final class UserServiceStandIn implements AutoCloseable {
    /**
     * How the stand-in answers ({@link #STATUS}: an error envelope with the status set by {@link #status(int)};
     * {@link #TRICKLE}: a 200 whose body dribbles out over {@link #slowMillis(int)}, noticing a client that hangs up).
     */
    enum Mode {
        ACTIVE,
        INACTIVE,
        SUSPENDED,
        NOT_FOUND,
        ERROR_500,
        SLOW,
        STATUS,
        TRICKLE
    }

    private final AtomicReference<Mode> mode = new AtomicReference<>(Mode.ACTIVE);
    private final AtomicInteger slowMillis = new AtomicInteger(5_000);
    private final AtomicInteger status = new AtomicInteger(503);
    private final AtomicInteger calls = new AtomicInteger();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger maxInFlight = new AtomicInteger();
    private final AtomicInteger abandoned = new AtomicInteger();
    private final List<String> requestIds = new CopyOnWriteArrayList<>();
    private final List<String> authorizations = new CopyOnWriteArrayList<>();
    private final List<String> traceparents = new CopyOnWriteArrayList<>();
    private final Map<UUID, String> owners = new ConcurrentHashMap<>();
    private final WebServer server;

    private UserServiceStandIn() {
        this.server = WebServer.builder()
                .port(0)
                .routing(r -> r.get("/api/v1/users/{id}", (req, res) -> {
                    calls.incrementAndGet();
                    requestIds.add(req.headers()
                            .first(io.helidon.http.HeaderNames.create("X-Request-ID"))
                            .orElse(""));
                    authorizations.add(req.headers()
                            .first(io.helidon.http.HeaderNames.AUTHORIZATION)
                            .orElse(""));
                    traceparents.add(req.headers()
                            .first(io.helidon.http.HeaderNames.create("traceparent"))
                            .orElse(""));
                    String id = req.path().pathParameters().get("id");
                    maxInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
                    try {
                        answer(res, id);
                    } finally {
                        inFlight.decrementAndGet();
                    }
                }))
                .build()
                .start();
    }

    private void answer(io.helidon.webserver.http.ServerResponse res, String id) throws InterruptedException {
        switch (mode.get()) {
            case NOT_FOUND -> json(res, Status.NOT_FOUND_404, error("NOT_FOUND", "user not found"));
            case ERROR_500 -> json(res, Status.INTERNAL_SERVER_ERROR_500, error("INTERNAL_ERROR", "boom"));
            case SLOW -> {
                Thread.sleep(slowMillis.get());
                json(res, Status.OK_200, user(id, "active"));
            }
            case TRICKLE -> trickle(res, id);
            case STATUS -> json(res, Status.create(status.get()), error("ERROR", "failing"));
            case INACTIVE -> json(res, Status.OK_200, user(id, "inactive"));
            case SUSPENDED -> json(res, Status.OK_200, user(id, "suspended"));
            case ACTIVE -> json(res, Status.OK_200, user(id, "active"));
        }
    }

    /** Sends the user one byte every 50 ms; a write failing means the client hung up (counted as abandoned). */
    private void trickle(io.helidon.webserver.http.ServerResponse res, String id) throws InterruptedException {
        byte[] body = user(id, "active").getBytes(java.nio.charset.StandardCharsets.UTF_8);
        long pause = Math.max(1, slowMillis.get() / body.length);
        res.status(Status.OK_200).header(HeaderValues.CONTENT_TYPE_JSON);
        try (java.io.OutputStream out = res.outputStream()) {
            for (byte b : body) {
                out.write(b);
                out.flush();
                Thread.sleep(pause);
            }
        } catch (java.io.IOException | java.io.UncheckedIOException e) {
            abandoned.incrementAndGet();
        }
    }

    /** Answers whose client hung up before the end ({@link Mode#TRICKLE}). */
    int abandoned() {
        return abandoned.get();
    }

    static UserServiceStandIn start() {
        return new UserServiceStandIn();
    }

    String url() {
        return "http://localhost:" + server.port();
    }

    void mode(Mode newMode) {
        mode.set(newMode);
    }

    /** With {@link Mode#SLOW}: how long each answer takes. */
    void slowMillis(int millis) {
        slowMillis.set(millis);
    }

    /** Answers every call with {@code code} (and an error envelope) from now on: switches to {@link Mode#STATUS}. */
    void status(int code) {
        status.set(code);
        mode.set(Mode.STATUS);
    }

    int calls() {
        return calls.get();
    }

    List<String> requestIds() {
        return List.copyOf(requestIds);
    }

    /** The Authorization header of each call ("" when it had none), in order. */
    List<String> authorizations() {
        return List.copyOf(authorizations);
    }

    /** The W3C traceparent header of each call ("" when it had none), in order. */
    List<String> traceparents() {
        return List.copyOf(traceparents);
    }

    /** The most calls that were being answered at the same time (since start or {@link #resetCounts()}). */
    int maxInFlight() {
        return maxInFlight.get();
    }

    /**
     * Clears {@link #calls()}, {@link #requestIds()}, {@link #authorizations()}, {@link #traceparents()} and {@link
     * #maxInFlight()}.
     */
    void resetCounts() {
        calls.set(0);
        requestIds.clear();
        authorizations.clear();
        traceparents.clear();
        maxInFlight.set(inFlight.get());
    }

    /** Back to answering {@link Mode#ACTIVE} users owned by nobody, with the counts cleared ({@link #resetCounts()}). */
    void reset() {
        mode.set(Mode.ACTIVE);
        owners.clear();
        resetCounts();
    }

    /**
     * Answers the user {@code userId} from now on as owned by {@code subject} (its {@code subject} field: the token
     * subject of the caller whose record it is); every other user is owned by nobody ({@code subject} null).
     */
    void owner(UUID userId, String subject) {
        owners.put(userId, subject);
    }

    /** Stops listening: calls to {@link #url()} are refused from now on. */
    void stop() {
        server.stop();
    }

    @Override
    public void close() {
        if (server.isRunning()) {
            server.stop();
        }
    }

    private String user(String id, String status) {
        UUID userId = UUID.fromString(id);
        String owner = owners.get(userId);
        return """
               {"success":true,"data":{"id":"%s","email":"someone@example.com","first_name":"Some","last_name":"One",\
               "phone":null,"role":"user","status":"%s","subject":%s,"version":1,\
               "created_at":"2025-01-01T00:00:00Z","updated_at":"2025-01-01T00:00:00Z"}}""".formatted(userId, status, owner == null ? "null" : jakarta.json.Json.createValue(owner));
    }

    private static String error(String code, String message) {
        return """
               {"success":false,"error":{"code":"%s","message":"%s"}}""".formatted(code, message);
    }

    private static void json(io.helidon.webserver.http.ServerResponse res, Status status, String body) {
        res.status(status).header(HeaderValues.CONTENT_TYPE_JSON).send(body);
    }
}
