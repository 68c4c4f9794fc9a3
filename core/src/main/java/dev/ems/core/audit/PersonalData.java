package dev.ems.core.audit;

import dev.ems.core.http.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.util.Map;

/**
 * The personal fields of one audited entity type, each with the rule that normalises its value before it is
 * pseudonymised ({@link Pseudonymiser}). Each service owns its list, in one class named for it ({@code
 * UserPersonalData}, {@code OrderPersonalData}); {@link AuditTrail} refuses to record an entity type without one, so
 * a new entity cannot reach the trail before someone has decided what in it is personal.
 *
 * @param entityType the audit entity type the list is for ({@code user}, {@code order})
 * @param fields the personal fields by their name in the event's {@code details} (snake_case), with their rule
 */
public record PersonalData(String entityType, Map<String, Normalisation> fields) {

    public PersonalData {
        fields = Map.copyOf(fields);
    }

    /**
     * How a value is normalised before it is hashed: the pseudonym is of the value as the service compares it, so
     * that an investigator's spelling of it matches.
     */
    public enum Normalisation {
        /** The value exactly as the service stores it (its validation already trimmed it). */
        AS_STORED,
        /** ASCII letters lowercased ({@code A-Z} to {@code a-z}), the rest as stored: for a value compared so (email). */
        ASCII_LOWERCASE;

        String apply(String value) {
            if (this == AS_STORED) {
                return value;
            }
            StringBuilder lower = new StringBuilder(value.length());
            for (int i = 0; i < value.length(); i++) {
                char c = value.charAt(i);
                lower.append(c >= 'A' && c <= 'Z' ? (char) (c + ('a' - 'A')) : c);
            }
            return lower.toString();
        }
    }

    /**
     * {@code entity} with each personal field's value replaced by its pseudonym; a null stays null (the trail shows
     * that there is no phone, not which). A personal field holds text; anything else is a programming error, refused
     * rather than recorded in clear.
     */
    JsonObject pseudonymised(JsonObject entity, Pseudonymiser pseudonymiser) {
        JsonObjectBuilder out = Json.objectBuilder();
        entity.forEach((name, value) -> {
            Normalisation rule = fields.get(name);
            if (rule == null || value.getValueType() == JsonValue.ValueType.NULL) {
                out.add(name, value);
            } else if (value instanceof JsonString text) {
                out.add(name, pseudonymiser.pseudonym(rule.apply(text.getString())));
            } else {
                throw new IllegalStateException(
                        "personal field " + entityType + "." + name + " is not text: " + value.getValueType());
            }
        });
        return out.build();
    }
}
