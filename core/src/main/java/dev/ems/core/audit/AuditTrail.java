package dev.ems.core.audit;

import dev.ems.core.http.Json;
import dev.ems.core.http.RequestOrigin;
import io.helidon.dbclient.DbExecute;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonValue;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;

/**
 * Records audit events into the service's outbox, inside the caller's transaction: the event exists exactly when
 * the change does. The request's id, actor, address and user agent come from the change's {@link RequestOrigin}
 * ({@code system} for background jobs). {@link OutboxRelay} delivers the events.
 */
public final class AuditTrail {
    /** Fields that change on every write and say nothing about what changed. */
    private static final Set<String> BOOKKEEPING = Set.of("version", "updated_at", "created_at");

    private final String service;
    private final Clock clock;

    public AuditTrail(String service, Clock clock) {
        this.service = service;
        this.clock = clock;
    }

    /** A new entity: {@code details.after} is all of it. */
    public void created(DbExecute tx, RequestOrigin origin, String entityType, Object id, Object after) {
        record(
                tx,
                origin,
                "create",
                entityType,
                id,
                Json.objectBuilder().add("after", json(after)).build());
    }

    /** A changed entity: {@code details} holds only the fields that changed, before and after. */
    public void updated(
            DbExecute tx,
            RequestOrigin origin,
            String action,
            String entityType,
            Object id,
            Object before,
            Object after) {
        record(tx, origin, action, entityType, id, changes(json(before), json(after)));
    }

    /** A deleted entity: {@code details.before} is all of it. */
    public void deleted(DbExecute tx, RequestOrigin origin, String entityType, Object id, Object before) {
        record(
                tx,
                origin,
                "delete",
                entityType,
                id,
                Json.objectBuilder().add("before", json(before)).build());
    }

    private void record(
            DbExecute tx, RequestOrigin origin, String action, String entityType, Object id, JsonObject details) {
        AuditEvent event = new AuditEvent(
                UUID.randomUUID(),
                clock.instant().truncatedTo(ChronoUnit.MICROS),
                service,
                origin.actor(),
                action,
                entityType,
                String.valueOf(id),
                origin.requestId(),
                details,
                origin.clientAddress(),
                origin.userAgent());
        tx.createNamedInsert("outbox-insert")
                .addParam("event_id", event.eventId())
                .addParam("payload", Json.write(event))
                .execute();
    }

    static JsonObject changes(JsonObject before, JsonObject after) {
        JsonObjectBuilder was = Json.objectBuilder();
        JsonObjectBuilder is = Json.objectBuilder();
        for (String key : after.keySet()) {
            if (!BOOKKEEPING.contains(key) && !Objects.equals(before.get(key), after.get(key))) {
                was.add(key, before.getOrDefault(key, JsonValue.NULL));
                is.add(key, after.get(key));
            }
        }
        return Json.objectBuilder().add("before", was).add("after", is).build();
    }

    private static JsonObject json(Object value) {
        return Json.parseObject(Json.write(value));
    }
}
