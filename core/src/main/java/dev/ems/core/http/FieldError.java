package dev.ems.core.http;

/** One bad field of a request: {@code {"field": "email", "message": "must be a valid email address"}}. */
public record FieldError(String field, String message) {
}
