package dev.ems.user;

import dev.ems.core.http.Json;
import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.http.Status;
import io.helidon.webserver.WebServer;
import jakarta.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A real HTTP server playing audit-log-service for the outbox relays. Away at first (every batch 503), until {@link
 * #comeBack()}; then it takes {@code POST /api/v1/audit-logs/batch} slowly and unevenly (each batch 5 to 60 ms, at random) and
 * records the batch's events when it is done with it, in that order, as the real service's trail would have them: a
 * batch finished earlier is recorded earlier, whenever it arrived. It keeps each batch's {@code traceparent} header too.
 */
final class AuditServiceStandIn implements AutoCloseable {
    private static final HeaderName TRACEPARENT = HeaderNames.create("traceparent");
    private final List<JsonObject> recorded = new ArrayList<>();
    private final List<String> traceparents = new ArrayList<>();
    private final WebServer server;
    private volatile boolean away = true;

    private AuditServiceStandIn() {
        this.server = WebServer.builder()
                .port(0)
                .routing(r -> r.post("/api/v1/audit-logs/batch", (req, res) -> {
                    if (away) {
                        res.status(Status.SERVICE_UNAVAILABLE_503).send();
                        return;
                    }
                    List<JsonObject> entries = Json.parseObject(req.content().as(String.class))
                            .getJsonArray("entries")
                            .getValuesAs(JsonObject.class);
                    Thread.sleep(ThreadLocalRandom.current().nextLong(5, 61));
                    synchronized (recorded) {
                        recorded.addAll(entries);
                        traceparents.add(req.headers().first(TRACEPARENT).orElse("(none)"));
                    }
                    res.status(Status.CREATED_201)
                            .header(HeaderValues.CONTENT_TYPE_JSON)
                            .send("{\"success\":true,\"data\":[]}");
                }))
                .build()
                .start();
    }

    static AuditServiceStandIn start() {
        return new AuditServiceStandIn();
    }

    String url() {
        return "http://localhost:" + server.port();
    }

    /** Takes batches from now on. */
    void comeBack() {
        away = false;
    }

    /** The events recorded so far, in the order their batches were done with. */
    List<JsonObject> recorded() {
        synchronized (recorded) {
            return List.copyOf(recorded);
        }
    }

    /** The traceparent header of each batch recorded so far ("(none)" for a batch without). */
    List<String> traceparents() {
        synchronized (recorded) {
            return List.copyOf(traceparents);
        }
    }

    @Override
    public void close() {
        server.stop();
    }
}
