package dev.ems.user;

/** What a user may do; lowercase on the wire and in the database. */
public enum Role {
    USER,
    ADMIN
}
