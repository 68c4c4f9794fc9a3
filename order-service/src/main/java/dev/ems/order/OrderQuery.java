package dev.ems.order;

import java.time.OffsetDateTime;
import java.util.Optional;
import java.util.UUID;

/** List filters: user, status, and a created_at range [from, to). */
public record OrderQuery(
        Optional<UUID> userId,
        Optional<String> status,
        Optional<OffsetDateTime> createdFrom,
        Optional<OffsetDateTime> createdTo) {}
