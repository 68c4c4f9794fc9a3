package dev.ems.user;

/** Account status; lowercase on the wire and in the database. Deletion is no status: it is a soft delete. */
public enum UserStatus {
    ACTIVE,
    INACTIVE,
    SUSPENDED
}
