package dev.ems.core.audit;

import dev.ems.core.http.Json;
import dev.ems.core.http.RequestOrigin;
import dev.ems.core.tracing.Tracing;
import io.helidon.dbclient.DbExecute;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonValue;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Records audit events into the service's outbox, inside the caller's transaction: the event exists exactly when
 * the change does. The request's id, actor, address and user agent come from the change's {@link RequestOrigin}
 * ({@code system} for background jobs). {@link OutboxRelay} delivers the events.
 * <p>
 * No personal data leaves in clear: before the event is written to the outbox, the fields of the entity type's
 * {@link PersonalData} list, and (as configured) the client address and user agent, are replaced by their
 * pseudonyms ({@link Pseudonymiser}). An update names the fields that changed in {@code details.changed}, compared
 * on the values in clear, so a change is recorded even where the pseudonyms are equal (an email that only changed
 * case).
 */
public final class AuditTrail {
    /** Fields that change on every write and say nothing about what changed. */
    private static final Set<String> BOOKKEEPING = Set.of("version", "updated_at", "created_at");

    private final String service;
    private final Clock clock;
    private final Pseudonymiser pseudonymiser;
    private final Map<String, PersonalData> personal;

    /** The trail of {@code service}, with the personal fields of every entity type it audits ({@code personal}). */
    public AuditTrail(String service, Clock clock, Pseudonymiser pseudonymiser, List<PersonalData> personal) {
        this.service = service;
        this.clock = clock;
        this.pseudonymiser = pseudonymiser;
        this.personal =
                personal.stream().collect(Collectors.toUnmodifiableMap(PersonalData::entityType, Function.identity()));
    }

    /** A new entity: {@code details.after} is all of it. */
    public void created(DbExecute tx, RequestOrigin origin, String entityType, Object id, Object after) {
        record(
                tx,
                origin,
                "create",
                entityType,
                id,
                Json.objectBuilder()
                        .add("after", personal(entityType).pseudonymised(json(after), pseudonymiser))
                        .build());
    }

    /**
     * A changed entity: {@code details} holds only the fields that changed, before and after, and their names in
     * {@code changed}.
     */
    public void updated(
            DbExecute tx,
            RequestOrigin origin,
            String action,
            String entityType,
            Object id,
            Object before,
            Object after) {
        JsonObject changes = changes(json(before), json(after));
        PersonalData fields = personal(entityType);
        record(
                tx,
                origin,
                action,
                entityType,
                id,
                Json.objectBuilder()
                        .add("before", fields.pseudonymised(changes.getJsonObject("before"), pseudonymiser))
                        .add("after", fields.pseudonymised(changes.getJsonObject("after"), pseudonymiser))
                        .add("changed", changes.get("changed"))
                        .build());
    }

    /** A deleted entity: {@code details.before} is all of it. */
    public void deleted(DbExecute tx, RequestOrigin origin, String entityType, Object id, Object before) {
        record(
                tx,
                origin,
                "delete",
                entityType,
                id,
                Json.objectBuilder()
                        .add("before", personal(entityType).pseudonymised(json(before), pseudonymiser))
                        .build());
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
                pseudonymiser.client(origin.clientAddress()),
                pseudonymiser.client(origin.userAgent()),
                Tracing.currentTraceId().orElse(null));
        tx.createNamedInsert("outbox-insert")
                .addParam("event_id", event.eventId())
                .addParam("payload", Json.write(event))
                .addParam("traceparent", Tracing.currentTraceparent().orElse(null))
                .execute();
    }

    /** The fields that changed, in clear: {@code {"before": {...}, "after": {...}, "changed": [names]}}. */
    static JsonObject changes(JsonObject before, JsonObject after) {
        JsonObjectBuilder was = Json.objectBuilder();
        JsonObjectBuilder is = Json.objectBuilder();
        JsonArrayBuilder changed = Json.arrayBuilder();
        for (String key : after.keySet()) {
            if (!BOOKKEEPING.contains(key) && !Objects.equals(before.get(key), after.get(key))) {
                was.add(key, before.getOrDefault(key, JsonValue.NULL));
                is.add(key, after.get(key));
                changed.add(key);
            }
        }
        return Json.objectBuilder()
                .add("before", was)
                .add("after", is)
                .add("changed", changed)
                .build();
    }

    private PersonalData personal(String entityType) {
        PersonalData fields = personal.get(entityType);
        if (fields == null) {
            throw new IllegalStateException(
                    service + " has no list of the personal fields of " + entityType + " to audit it by");
        }
        return fields;
    }

    private static JsonObject json(Object value) {
        return Json.parseObject(Json.write(value));
    }
}
