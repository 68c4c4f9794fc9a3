package dev.ems.core.auth;

import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Who is calling, as a verified bearer token says: its subject ({@code sub}), its EMS roles, and for a service the
 * service's identity ({@code azp}, else {@code client_id}, else {@code sub}). Nothing here comes from a header or a
 * body the caller fills in. Background work of a service acts as {@link #system(String)}.
 */
public record Caller(String subject, Set<Role> roles, Optional<String> serviceIdentity) {

    /** The roles EMS knows; a token's other roles are ignored. */
    public enum Role {
        ADMIN,
        AUDITOR,
        USER,
        SERVICE;

        /** The role's name in tokens ({@code admin}...), or empty when EMS does not know it. */
        static Optional<Role> fromClaim(String name) {
            for (Role role : values()) {
                if (role.claimName().equals(name)) {
                    return Optional.of(role);
                }
            }
            return Optional.empty();
        }

        public String claimName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public Caller {
        roles = Set.copyOf(roles);
    }

    /** A service's own work (its jobs, its outbox relay): the actor {@code system:<service>}. */
    public static Caller system(String service) {
        return new Caller("system:" + service, Set.of(), Optional.empty());
    }

    public boolean has(Role role) {
        return roles.contains(role);
    }

    /** The audit trail's actor: the token's subject. */
    public String actor() {
        return subject;
    }
}
