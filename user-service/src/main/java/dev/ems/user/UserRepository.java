package dev.ems.user;

import dev.ems.core.http.PageRequest;
import io.helidon.dbclient.DbClient;
import io.helidon.dbclient.DbExecute;
import io.helidon.dbclient.DbRow;
import java.sql.Timestamp;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.UUID;

/** Users in PostgreSQL, through the named statements of application.yaml only. */
public final class UserRepository {
    private final DbClient db;

    public UserRepository(DbClient db) {
        this.db = db;
    }

    public User insert(DbExecute tx, UserRequest user) {
        return tx.createNamedGet("insert-user")
                .params(fields(user))
                .execute()
                .map(UserRepository::map)
                .orElseThrow();
    }

    public Optional<User> find(UUID id) {
        return db.execute().createNamedGet("get-user").addParam(id).execute().map(UserRepository::map);
    }

    /** The live user, locked until the end of {@code tx}: writers of one user queue up instead of racing. */
    public Optional<User> lock(DbExecute tx, UUID id) {
        return tx.createNamedGet("lock-user").addParam("id", id).execute().map(UserRepository::map);
    }

    /** Replaces the client fields of a user locked by {@link #lock}. */
    public User update(DbExecute tx, UUID id, UserRequest user) {
        Map<String, Object> params = fields(user);
        params.put("id", id);
        return tx.createNamedGet("update-user")
                .params(params)
                .execute()
                .map(UserRepository::map)
                .orElseThrow();
    }

    /** Soft-deletes a user locked by {@link #lock}. */
    public void delete(DbExecute tx, UUID id) {
        // the caller holds the row's lock: no row back is a broken invariant, never an answer to the client
        if (tx.createNamedGet("delete-user").addParam("id", id).execute().isEmpty()) {
            throw new NoSuchElementException("delete-user returned no row for user " + id);
        }
    }

    /** The live users the filters match: summed from live_user_counts, unless a search must look at each user. */
    public long count(UserQuery query) {
        return db.execute()
                .createNamedGet(query.q().isPresent() ? "count-users" : "sum-live-user-counts")
                .params(filters(query))
                .execute()
                .map(row -> row.column("total").get(Long.class))
                .orElse(0L);
    }

    public List<User> list(UserQuery query, PageRequest page) {
        Map<String, Object> params = filters(query);
        params.put("limit", page.pageSize());
        params.put("offset", page.offset());
        return db.execute()
                .createNamedQuery("list-users")
                .params(params)
                .execute()
                .map(UserRepository::map)
                .toList();
    }

    /**
     * Up to {@code limit} users in the list order after {@code after} (from the start when empty). The position is a
     * row comparison on (created_at, id), which the index users_live_created_idx answers directly: a deep page costs
     * what the first one does.
     */
    public List<User> listAfter(UserQuery query, Optional<UserCursor> after, int limit) {
        Map<String, Object> params = filters(query);
        params.put("limit", limit);
        if (after.isEmpty()) {
            params.put("offset", 0);
            return db.execute()
                    .createNamedQuery("list-users")
                    .params(params)
                    .execute()
                    .map(UserRepository::map)
                    .toList();
        }
        params.put("after_created_at", after.get().createdAt().atOffset(ZoneOffset.UTC));
        params.put("after_id", after.get().id());
        return db.execute()
                .createNamedQuery("list-users-after")
                .params(params)
                .execute()
                .map(UserRepository::map)
                .toList();
    }

    private static Map<String, Object> fields(UserRequest user) {
        Map<String, Object> params = new HashMap<>();
        params.put("email", user.email());
        params.put("first_name", user.firstName());
        params.put("last_name", user.lastName());
        params.put("phone", user.phone());
        params.put("role", user.role());
        params.put("status", user.status());
        params.put("subject", user.subject());
        return params;
    }

    private static Map<String, Object> filters(UserQuery query) {
        Map<String, Object> params = new HashMap<>();
        params.put("status", query.status().orElse(null));
        params.put("role", query.role().orElse(null));
        params.put("q", query.q().map(UserRepository::prefixPattern).orElse(null));
        return params;
    }

    /** A LIKE pattern matching values that start with {@code prefix}, case-insensitively, wildcards escaped. */
    static String prefixPattern(String prefix) {
        String escaped = prefix.toLowerCase(java.util.Locale.ROOT)
                .replace("\\", "\\\\")
                .replace("%", "\\%")
                .replace("_", "\\_");
        return escaped + "%";
    }

    private static User map(DbRow row) {
        return new User(
                row.column("id").get(UUID.class),
                row.column("email").get(String.class),
                row.column("first_name").get(String.class),
                row.column("last_name").get(String.class),
                row.column("phone").get(String.class),
                row.column("role").get(String.class),
                row.column("status").get(String.class),
                row.column("subject").get(String.class),
                row.column("version").get(Long.class),
                row.column("created_at").get(Timestamp.class).toInstant(),
                row.column("updated_at").get(Timestamp.class).toInstant());
    }
}
