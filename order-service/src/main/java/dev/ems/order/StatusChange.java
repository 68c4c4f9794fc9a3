package dev.ems.order;

/** The body of {@code PATCH /api/v1/orders/{id}/status}. */
public record StatusChange(String status) {}
