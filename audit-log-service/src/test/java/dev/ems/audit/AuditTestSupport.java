package dev.ems.audit;

import static dev.ems.testing.JsonBodies.body;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ems.core.server.ServiceRuntime;
import dev.ems.testing.HttpResult;
import dev.ems.testing.ServiceApi;
import dev.ems.testing.ServiceConfigs;
import dev.ems.testing.TestPostgres;
import io.helidon.config.Config;
import io.helidon.webclient.http1.Http1Client;
import io.helidon.webserver.WebServerConfig;
import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;

/**
 * Shared helpers of the audit-log-service tests: a service on a fresh database (whose name tests keep, to reach
 * behind the API with JDBC), entry bodies, requests on its paths, hash-chain assertions.
 */
final class AuditTestSupport {
    static final String AUDIT = "/api/v1/audit-logs";
    static final Pattern HEX64 = Pattern.compile("[0-9a-f]{64}");
    /** A field value meaning "leave this field out of the body". */
    static final Object ABSENT = new Object();
    /** The hash chain's key in the tests: a secret of the required length, as outside the local profile. */
    static final String INTEGRITY_KEY = "test-integrity-key-0123456789abcdef";
    /** The checkpoint signing key in the tests (an ECDSA P-256 JWK), made once with {@code make signing-key}. */
    static final String SIGNING_KEY = "{\"kty\":\"EC\",\"d\":\"Qf-RzoBdSKQwMCUm7uOitIUSDsVs1D6mJiPVn8gSH-o\","
            + "\"crv\":\"P-256\",\"kid\":\"test-signing-key\","
            + "\"x\":\"0bUxgcbsi03jENxUKe9IpqxXFn3p3fJ-3Tj2NX2mFyw\",\"y\":\"jmqHZDsk8_nZcx4Cimq3ux17Kkn0sV-9jijDRynVGeI\"}";

    private static final AtomicInteger SEQUENCE = new AtomicInteger();

    private AuditTestSupport() {}

    /** The service configuration against {@code database}, rate limiting effectively off. */
    static Config config(String database, Map<String, String> overrides) {
        Map<String, String> all = new HashMap<>();
        all.put("audit.log.service.rate.limit", "100000");
        all.put("audit.log.service.rate.burst", "100000");
        all.put("audit.log.service.log.level", "warn");
        all.put("audit.log.service.integrity.key", INTEGRITY_KEY);
        all.put("audit.log.service.signing.key", SIGNING_KEY);
        all.putAll(overrides);
        return ServiceConfigs.of(Main.SERVICE, TestPostgres.shared().getPort(), database, all);
    }

    /**
     * Sets up {@code server} as audit-log-service on {@code runtime}, wired exactly as Main wires it; returns the service
     * behind its API.
     */
    static AuditService setUp(WebServerConfig.Builder server, ServiceRuntime runtime) {
        AuditService service =
                Main.auditService(runtime, Main.hashChain(runtime.config()), Main.checkpointSigner(runtime.config()));
        runtime.setup(server, routing -> Main.routing(routing, service));
        return service;
    }

    /**
     * A JDBC connection to {@code database} on the shared test server, behind the service's back: the insider the
     * seals are for, a superuser who also sets the append-only triggers aside (session_replication_role = replica).
     */
    static Connection connect(String database) {
        try {
            Connection c =
                    TestPostgres.shared().getDatabase("postgres", database).getConnection();
            try (Statement s = c.createStatement()) {
                s.execute("SET session_replication_role = replica");
            }
            return c;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Runs statements directly in {@code database}; returns the update count of the last one. */
    static int sql(String database, String... statements) {
        try (Connection c = connect(database);
                Statement s = c.createStatement()) {
            int count = 0;
            for (String statement : statements) {
                s.execute(statement);
                count = s.getUpdateCount();
            }
            return count;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A single-value query run directly in {@code database}. */
    static String scalar(String database, String query) {
        try (Connection c = connect(database);
                Statement s = c.createStatement();
                var rs = s.executeQuery(query)) {
            return rs.next() ? rs.getString(1) : null;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A short unique token for this JVM (entity ids, actors), so tests never see each other's entries. */
    static String unique(String prefix) {
        return prefix + "-" + SEQUENCE.incrementAndGet() + "-"
                + UUID.randomUUID().toString().substring(0, 8);
    }

    /** An RFC 3339 timestamp {@code secondsAgo} seconds before now. */
    static String ago(long secondsAgo) {
        return Instant.now()
                .minusSeconds(secondsAgo)
                .truncatedTo(ChronoUnit.MICROS)
                .toString();
    }

    /**
     * A valid entry body: every required field with a fresh event_id, overridden by {@code pairs} (name/value; a value
     * of {@link #ABSENT} leaves the field out, null writes JSON null).
     */
    static String entry(Object... pairs) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("event_id", UUID.randomUUID().toString());
        fields.put("occurred_at", ago(60));
        fields.put("service", "user-service");
        fields.put("actor", "user:alice");
        fields.put("action", "update");
        fields.put("entity_type", "user");
        fields.put("entity_id", UUID.randomUUID().toString());
        for (int i = 0; i < pairs.length; i += 2) {
            fields.put((String) pairs[i], pairs[i + 1]);
        }
        fields.values().removeIf(ABSENT::equals);
        Object[] flat = new Object[fields.size() * 2];
        int i = 0;
        for (Map.Entry<String, Object> e : fields.entrySet()) {
            flat[i++] = e.getKey();
            flat[i++] = e.getValue();
        }
        return body(flat);
    }

    /** {@code {"entries": [...]}} of the given entry bodies. */
    static String batchOf(String... entries) {
        return "{\"entries\":[" + String.join(",", entries) + "]}";
    }

    /** An entry as the API returned it, back as the service's record (to recompute hashes in tests). */
    static AuditEntry entryOf(JsonObject e) {
        return new AuditEntry(
                UUID.fromString(e.getString("id")),
                UUID.fromString(e.getString("event_id")),
                Instant.parse(e.getString("occurred_at")),
                Instant.parse(e.getString("recorded_at")),
                e.getString("service"),
                e.getString("actor"),
                e.getString("action"),
                e.getString("entity_type"),
                e.getString("entity_id"),
                text(e, "request_id"),
                e.getJsonObject("details"),
                text(e, "client_address"),
                text(e, "user_agent"),
                e.getJsonNumber("seq").longValueExact(),
                e.getString("prev_hash"),
                e.getString("hash"),
                text(e, "key_id"),
                text(e, "trace_id"));
    }

    private static String text(JsonObject o, String name) {
        return o.isNull(name) ? null : o.getString(name);
    }

    /** Request helpers on /api/v1/audit-logs over the injected Http1Client. */
    static final class Api extends ServiceApi {
        Api(Http1Client client) {
            super(client, AUDIT);
        }

        HttpResult batch(String json, String... headers) {
            return http.post(AUDIT + "/batch", json, headers);
        }

        HttpResult getEntry(String id) {
            return getMember(id);
        }

        /** Appends one entry, asserting 201, and returns its data. */
        JsonObject create(String json) {
            HttpResult res = post(json);
            assertThat(res.status()).as(res.toString()).isEqualTo(201);
            return res.data();
        }

        /** Appends a batch, asserting 201, and returns the response. */
        HttpResult createBatch(String... entries) {
            HttpResult res = batch(batchOf(entries));
            assertThat(res.status()).as(res.toString()).isEqualTo(201);
            return res;
        }

        /** GET /verify (with an optional query such as "?from=..."), asserting 200, and returns its data. */
        JsonObject verify(String query) {
            HttpResult res = get(AUDIT + "/verify" + query);
            assertThat(res.status()).as(res.toString()).isEqualTo(200);
            return res.data();
        }

        JsonObject verify() {
            return verify("");
        }

        HttpResult postAt(String path, String json) {
            return http.post(path, json);
        }

        /** POST /verify with {@code checkpoints} kept, as returned by GET /checkpoint. */
        HttpResult verifyKept(JsonObject... checkpoints) {
            JsonArrayBuilder kept = Json.createArrayBuilder();
            for (JsonObject checkpoint : checkpoints) {
                kept.add(checkpoint);
            }
            return http.post(
                    AUDIT + "/verify",
                    Json.createObjectBuilder().add("checkpoints", kept).build().toString());
        }

        /** GET /checkpoint, asserting 200, and returns its data. */
        JsonObject checkpoint() {
            HttpResult res = get(AUDIT + "/checkpoint");
            assertThat(res.status()).as(res.toString()).isEqualTo(200);
            return res.data();
        }
    }

    /** Asserts {@code verify} says the chain is intact over {@code checked} entries. */
    static void assertIntact(JsonObject verify, long checked) {
        assertThat(verify.getBoolean("intact")).as(verify.toString()).isTrue();
        assertThat(verify.getJsonNumber("checked").longValueExact())
                .as(verify.toString())
                .isEqualTo(checked);
        assertThat(verify.keySet()).as(verify.toString()).containsExactlyInAnyOrder("intact", "checked");
    }

    /** Asserts {@code verify} says the chain is broken at {@code seq} (and, when not null, at the entry {@code id}). */
    static void assertBroken(JsonObject verify, long seq, String id) {
        assertThat(verify.getBoolean("intact")).as(verify.toString()).isFalse();
        assertThat(verify.getJsonNumber("first_broken_seq").longValueExact())
                .as(verify.toString())
                .isEqualTo(seq);
        if (id != null) {
            assertThat(verify.getString("first_broken_id"))
                    .as(verify.toString())
                    .isEqualTo(id);
        }
    }
}
