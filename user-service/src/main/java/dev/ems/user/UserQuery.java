package dev.ems.user;

import java.util.Optional;

/** The list filters: {@code status}, {@code role} and {@code q} (prefix of email, first or last name). */
public record UserQuery(Optional<String> status, Optional<String> role, Optional<String> q) {}
