package dev.ems.user;

/**
 * The body of create (POST) and replace (PUT), and the fields a PATCH may carry. Only client-owned fields:
 * id, version, timestamps and deletion are the server's.
 */
public record UserRequest(String email, String firstName, String lastName, String phone, String role, String status) {}
