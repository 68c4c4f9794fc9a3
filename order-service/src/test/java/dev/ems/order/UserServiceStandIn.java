package dev.ems.order;

import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import io.helidon.http.HeaderValues;
import io.helidon.http.Status;
import io.helidon.webserver.WebServer;

/**
 * A real HTTP server playing user-service for order-service's tests: it answers {@code GET /api/v1/users/{id}}
 * the way the test tells it to (an active user, a user in some status, 404, 500, or after a delay), and records
 * every call it receives with its X-Request-ID. {@link #stop()} makes connections to it be refused.
 */
final class UserServiceStandIn implements AutoCloseable {
    /** How the stand-in answers. */
    enum Mode { ACTIVE, INACTIVE, SUSPENDED, NOT_FOUND, ERROR_500, SLOW }

    private final AtomicReference<Mode> mode = new AtomicReference<>(Mode.ACTIVE);
    private final AtomicInteger slowMillis = new AtomicInteger(5_000);
    private final AtomicInteger calls = new AtomicInteger();
    private final List<String> requestIds = new CopyOnWriteArrayList<>();
    private final WebServer server;

    private UserServiceStandIn() {
        this.server = WebServer.builder()
                .port(0)
                .routing(r -> r.get("/api/v1/users/{id}", (req, res) -> {
                    calls.incrementAndGet();
                    requestIds.add(req.headers().first(io.helidon.http.HeaderNames.create("X-Request-ID")).orElse(""));
                    String id = req.path().pathParameters().get("id");
                    switch (mode.get()) {
                        case NOT_FOUND -> json(res, Status.NOT_FOUND_404,
                                               "{\"success\":false,\"error\":{\"code\":\"NOT_FOUND\",\"message\":\"user not found\"}}");
                        case ERROR_500 -> json(res, Status.INTERNAL_SERVER_ERROR_500,
                                               "{\"success\":false,\"error\":{\"code\":\"INTERNAL_ERROR\",\"message\":\"boom\"}}");
                        case SLOW -> {
                            Thread.sleep(slowMillis.get());
                            json(res, Status.OK_200, user(id, "active"));
                        }
                        case INACTIVE -> json(res, Status.OK_200, user(id, "inactive"));
                        case SUSPENDED -> json(res, Status.OK_200, user(id, "suspended"));
                        case ACTIVE -> json(res, Status.OK_200, user(id, "active"));
                    }
                }))
                .build()
                .start();
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

    int calls() {
        return calls.get();
    }

    List<String> requestIds() {
        return List.copyOf(requestIds);
    }

    void resetCounts() {
        calls.set(0);
        requestIds.clear();
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

    private static String user(String id, String status) {
        return "{\"success\":true,\"data\":{\"id\":\"" + UUID.fromString(id) + "\",\"email\":\"someone@example.com\","
                + "\"first_name\":\"Some\",\"last_name\":\"One\",\"phone\":null,\"role\":\"user\",\"status\":\"" + status
                + "\",\"version\":1,\"created_at\":\"2025-01-01T00:00:00Z\",\"updated_at\":\"2025-01-01T00:00:00Z\"}}";
    }

    private static void json(io.helidon.webserver.http.ServerResponse res, Status status, String body) {
        res.status(status).header(HeaderValues.CONTENT_TYPE_JSON).send(body);
    }
}
