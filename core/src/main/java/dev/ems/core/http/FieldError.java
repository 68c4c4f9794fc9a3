package dev.ems.core.http;

import jakarta.json.bind.annotation.JsonbPropertyOrder;

/** One bad field of a request: {@code {"field": "email", "message": "must be a valid email address"}}. */
@JsonbPropertyOrder({"field", "message"})
public record FieldError(String field, String message) {}
