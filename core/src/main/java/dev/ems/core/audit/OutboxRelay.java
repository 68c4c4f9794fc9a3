package dev.ems.core.audit;

import dev.ems.core.auth.ServiceCredentials;
import dev.ems.core.auth.ServiceCredentialsUnavailableException;
import dev.ems.core.config.Durations;
import dev.ems.core.db.DbErrors;
import dev.ems.core.db.Tx;
import dev.ems.core.http.OutboundHttp;
import dev.ems.core.tracing.Tracing;
import io.helidon.config.Config;
import io.helidon.dbclient.DbClient;
import io.helidon.dbclient.DbExecute;
import io.helidon.health.HealthCheckResponse;
import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.metrics.api.Gauge;
import io.helidon.metrics.api.Metrics;
import io.helidon.webclient.api.HttpClientResponse;
import io.helidon.webclient.api.WebClient;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;

/**
 * Delivers the audit outbox to audit-log-service ({@code POST /api/v1/audit-logs/batch}) on a virtual thread:
 * oldest first, in batches, at least once (a batch is deleted only after audit-log-service accepted it, in the
 * same transaction that locked it), retrying with exponential backoff while the audit service is away.
 * audit-log-service ignores event ids it has already recorded, so at-least-once delivery records every event
 * exactly once.
 * <p>
 * Replicas share the outbox, one relay at a time: a relay claims its batch only while it holds a transaction-scoped
 * advisory lock ({@code outbox-relay-lock}), and a replica that finds it taken skips the round and tries again at its
 * next poll. Two relays delivering at once could put an entity's update into the trail before its create (each
 * sending a different batch); one at a time, the trail gets every entity's events in the order they were written.
 * Throughput does not suffer: deliveries are batched, and the holder goes on at once while batches come full.
 * <p>
 * An event the audit service refuses for good (a 4xx when sent alone) is kept as dead rather than blocking the
 * rest. The relay authenticates with the service's own token ({@link ServiceCredentials}); a refusal of that token
 * (401, 403) or a token endpoint that fails is an outage like any other, retried, never a reason to drop events. The
 * backlog is exported as {@code {service}_audit_outbox_pending} and shown in /health.
 */
public final class OutboxRelay implements AutoCloseable {
    private static final System.Logger LOGGER = System.getLogger(OutboxRelay.class.getName());
    private static final String BATCH_PATH = "/api/v1/audit-logs/batch";
    private static final Duration CLOSE_WAIT = Duration.ofSeconds(10);

    private final DbClient db;
    private final WebClient http;
    private final ServiceCredentials credentials;
    private final Tracing tracing;
    private final int batchSize;
    private final Duration pollInterval;
    private final Duration maxBackoff;
    private final AtomicLong pending = new AtomicLong();
    private final AtomicLong dead = new AtomicLong();
    private final AtomicLong delivered = new AtomicLong();
    private final AtomicReference<String> lastError = new AtomicReference<>();
    private final AtomicReference<Instant> lastDelivery = new AtomicReference<>();
    private final Thread thread;
    private volatile boolean closed;

    private OutboxRelay(String service, DbClient db, Config settings, ServiceCredentials credentials, Tracing tracing) {
        this.db = db;
        this.credentials = credentials;
        this.tracing = tracing;
        this.http = OutboundHttp.builder()
                .baseUri(settings.get("url").asString().get())
                .connectTimeout(Durations.of(settings.get("connect-timeout")))
                .readTimeout(Durations.of(settings.get("read-timeout")))
                .build();
        this.batchSize = settings.get("batch-size").asInt().get();
        this.pollInterval = Durations.of(settings.get("poll-interval"));
        this.maxBackoff = Durations.of(settings.get("max-backoff"));
        String prefix = service.replace('-', '_') + "_";
        Metrics.globalRegistry()
                .getOrCreate(Gauge.builder(prefix + "audit_outbox_pending", pending, AtomicLong::get)
                        .description("Audit events written but not yet delivered"));
        Metrics.globalRegistry()
                .getOrCreate(Gauge.builder(prefix + "audit_outbox_dead", dead, AtomicLong::get)
                        .description("Audit events the audit service refused for good"));
        this.thread = Thread.ofVirtual().name(service + "-audit-relay").start(this::run);
    }

    /**
     * Starts the relay. Settings (the service's {@code audit} node): url, batch-size, poll-interval, max-backoff,
     * connect-timeout, read-timeout.
     */
    public static OutboxRelay start(
            String service, DbClient db, Config settings, ServiceCredentials credentials, Tracing tracing) {
        return new OutboxRelay(service, db, settings, credentials, tracing);
    }

    /** Always UP (the audit service being away must not stop this one); shows the backlog and the last problem. */
    public HealthCheckResponse health() {
        HealthCheckResponse.Builder builder = HealthCheckResponse.builder()
                .status(true)
                .detail("running", thread.isAlive())
                .detail("pending", pending.get())
                .detail("dead", dead.get())
                .detail("delivered", delivered.get());
        if (lastDelivery.get() != null) {
            builder.detail("last_delivery", lastDelivery.get().toString());
        }
        if (lastError.get() != null) {
            builder.detail("last_error", lastError.get());
        }
        return builder.build();
    }

    /** Stops the relay and waits for a delivery in progress to end (its batch stays in the outbox unless accepted). */
    @Override
    public void close() {
        closed = true;
        thread.interrupt();
        try {
            if (!thread.join(CLOSE_WAIT)) {
                LOGGER.log(System.Logger.Level.WARNING, "the audit relay did not stop within " + CLOSE_WAIT);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        http.closeResource();
    }

    private void run() {
        Duration backoff = pollInterval;
        while (!closed) {
            Duration sleep;
            try {
                OptionalInt sent = deliverBatch();
                refreshBacklog();
                if (sent.isEmpty()) {
                    // another replica's relay is delivering: nothing went wrong here, try again at the next poll
                    sleep = pollInterval;
                } else {
                    if (lastError.getAndSet(null) != null) {
                        LOGGER.log(System.Logger.Level.INFO, "audit events are being delivered again");
                    }
                    backoff = pollInterval;
                    sleep = sent.getAsInt() == batchSize ? Duration.ZERO : pollInterval;
                }
            } catch (RuntimeException e) {
                if (closed) {
                    return;
                }
                // the health detail in fixed words (anyone reaching /health may read it), the log line in full
                String problem = e instanceof Unavailable || e instanceof ServiceCredentialsUnavailableException
                        ? e.getMessage()
                        : DbErrors.summary(e);
                if (lastError.getAndSet(problem) == null) {
                    LOGGER.log(
                            System.Logger.Level.WARNING,
                            "audit events cannot be delivered yet (retrying with backoff): " + DbErrors.describe(e));
                }
                safely(this::refreshBacklog);
                sleep = backoff;
                backoff = backoff.multipliedBy(2).compareTo(maxBackoff) > 0 ? maxBackoff : backoff.multipliedBy(2);
            }
            try {
                Thread.sleep(sleep);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /**
     * Sends one batch; returns how many events it took off the outbox, or nothing when another replica's relay holds
     * the outbox.
     */
    private OptionalInt deliverBatch() {
        return Tx.inTransaction(db, tx -> {
            boolean locked = tx.namedGet("outbox-relay-lock")
                    .map(r -> r.column("locked").get(Boolean.class))
                    .orElseThrow();
            if (!locked) {
                return OptionalInt.empty();
            }
            List<Row> rows = tx.createNamedQuery("outbox-claim")
                    .addParam("limit", batchSize)
                    .execute()
                    .map(r -> new Row(
                            r.column("id").get(Long.class),
                            r.column("payload").get(String.class),
                            r.column("traceparent").get(String.class)))
                    .toList();
            if (rows.isEmpty()) {
                return OptionalInt.of(0);
            }
            int status = post(rows);
            if (status / 100 == 2) {
                delete(tx, rows);
                return OptionalInt.of(rows.size());
            }
            refusedCredentials(status);
            if (status / 100 == 4 && status != 429) {
                return OptionalInt.of(deliverOneByOne(tx, rows));
            }
            throw new Unavailable("audit-log-service answered " + status);
        });
    }

    /** A refused batch: find the event(s) to blame, deliver the rest, keep the refused ones as dead. */
    private int deliverOneByOne(DbExecute tx, List<Row> rows) {
        List<Row> accepted = new ArrayList<>();
        for (Row row : rows) {
            int status = post(List.of(row));
            refusedCredentials(status);
            if (status / 100 == 2) {
                accepted.add(row);
            } else if (status / 100 == 4 && status != 429) {
                tx.createNamedUpdate("outbox-dead")
                        .addParam("id", row.id())
                        .addParam("error", "audit-log-service refused it with " + status)
                        .execute();
                LOGGER.log(
                        System.Logger.Level.ERROR,
                        "audit event " + row.id() + " refused with " + status + "; kept in the outbox as dead");
            } else {
                break; // the service itself is failing: the rest waits for the next round
            }
        }
        delete(tx, accepted);
        return accepted.size();
    }

    /**
     * Posts {@code rows} as one batch. Each event's delivery is a short span in the trace of the change that wrote it
     * (its stored traceparent), so a tracing UI shows it there; the call carries the first event's, so that
     * audit-log-service's work on the batch joins that trace (one call cannot be in several traces).
     */
    private int post(List<Row> rows) {
        String body = rows.stream().map(Row::payload).collect(Collectors.joining(",", "{\"entries\":[", "]}"));
        List<Span> deliveries = rows.stream()
                .filter(row -> row.traceparent() != null)
                .map(row -> tracing.tracer()
                        .spanBuilder("audit delivery")
                        .setParent(Tracing.fromTraceparent(row.traceparent()))
                        .setSpanKind(SpanKind.PRODUCER)
                        .setAttribute("ems.outbox.batch_size", rows.size())
                        .startSpan())
                .toList();
        Context call = deliveries.isEmpty() ? Context.root() : Context.root().with(deliveries.getFirst());
        int status = -1;
        try (Scope scope = call.makeCurrent()) {
            var request = http.post(BATCH_PATH)
                    .header(HeaderValues.CONTENT_TYPE_JSON)
                    .header(HeaderNames.AUTHORIZATION, credentials.authorization());
            tracing.inject(request, (r, name, value) -> r.header(HeaderNames.create(name), value));
            try (HttpClientResponse res = request.submit(body)) {
                status = res.status().code();
                return status;
            }
        } finally {
            for (Span delivery : deliveries) {
                delivery.setAttribute("http.response.status_code", status);
                if (status / 100 != 2) {
                    delivery.setStatus(StatusCode.ERROR);
                }
                delivery.end();
            }
        }
    }

    /**
     * 401 or 403: audit-log-service does not take this service's token (expired early, revoked, or the client is not
     * the service its events name). The events are fine: keep them, fetch a new token, retry with backoff.
     */
    private void refusedCredentials(int status) {
        if (status == 401 || status == 403) {
            credentials.forget();
            throw new Unavailable("audit-log-service refused this service's credentials (" + status + ")");
        }
    }

    private void delete(DbExecute tx, List<Row> rows) {
        if (!rows.isEmpty()) {
            String ids = rows.stream().map(r -> String.valueOf(r.id())).collect(Collectors.joining(",", "{", "}"));
            tx.createNamedDelete("outbox-delete").addParam("ids", ids).execute();
            delivered.addAndGet(rows.size());
            lastDelivery.set(Instant.now());
        }
    }

    private void refreshBacklog() {
        db.execute().namedGet("outbox-backlog").ifPresent(row -> {
            pending.set(row.column("pending").get(Long.class));
            dead.set(row.column("dead").get(Long.class));
        });
    }

    private static void safely(Runnable task) {
        try {
            task.run();
        } catch (RuntimeException ignored) {
            // the database is away too; the numbers stay as they were
        }
    }

    private record Row(long id, String payload, String traceparent) {}

    /** audit-log-service answered, but not with an acceptance: its status is all the message holds. */
    private static final class Unavailable extends RuntimeException {
        private Unavailable(String message) {
            super(message, null, false, false);
        }
    }
}
