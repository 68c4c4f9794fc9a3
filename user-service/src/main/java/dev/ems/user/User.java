package dev.ems.user;

import jakarta.json.bind.annotation.JsonbNillable;
import jakarta.json.bind.annotation.JsonbPropertyOrder;
import java.time.Instant;
import java.util.UUID;

/**
 * A user as the API returns it. {@code role} and {@code status} are the lowercase wire values; {@code subject} is the
 * token subject that owns the record (null: nobody signs in as it).
 */
@JsonbPropertyOrder({
    "id",
    "email",
    "firstName",
    "lastName",
    "phone",
    "role",
    "status",
    "subject",
    "version",
    "createdAt",
    "updatedAt"
})
public record User(
        UUID id,
        String email,
        String firstName,
        String lastName,
        @JsonbNillable String phone,
        String role,
        String status,
        @JsonbNillable String subject,
        long version,
        Instant createdAt,
        Instant updatedAt) {}
