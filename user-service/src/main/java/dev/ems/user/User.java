package dev.ems.user;

import jakarta.json.bind.annotation.JsonbNillable;
import jakarta.json.bind.annotation.JsonbPropertyOrder;
import java.time.Instant;
import java.util.UUID;

/** A user as the API returns it. {@code role} and {@code status} are the lowercase wire values. */
@JsonbPropertyOrder({
    "id",
    "email",
    "firstName",
    "lastName",
    "phone",
    "role",
    "status",
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
        long version,
        Instant createdAt,
        Instant updatedAt) {}
