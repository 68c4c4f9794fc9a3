package dev.ems.user;

/**
 * The body of create (POST) and replace (PUT), and the fields a PATCH may carry. Only client-owned fields: id,
 * version, timestamps and deletion are the server's. {@code role}, {@code status} and {@code subject} (the token
 * subject that owns the record) are privileged: only an admin may set or change them ({@link UserAccess}).
 */
public record UserRequest(
        String email, String firstName, String lastName, String phone, String role, String status, String subject) {}
