package dev.ems.user;

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
import jakarta.json.JsonObject;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

/** What the user-service API tests share beyond dev.ems.testing: its configuration, paths and bodies. */
final class UserTestSupport {
    static final String USERS = "/api/v1/users";
    private static final AtomicInteger SEQUENCE = new AtomicInteger();

    private UserTestSupport() {}

    /** The service configuration against a fresh database, rate limiting effectively off. */
    static Config config(Map<String, String> overrides) {
        return ServiceConfigs.of(Main.SERVICE, withDefaults(overrides));
    }

    static ServiceRuntime runtime(Map<String, String> overrides) {
        return ServiceRuntime.create(Main.SERVICE, config(overrides));
    }

    /** As {@link #runtime(Map)}, on {@code database} (from {@link TestPostgres#createDatabase()}), for SQL behind the API. */
    static ServiceRuntime runtime(String database, Map<String, String> overrides) {
        return ServiceRuntime.create(
                Main.SERVICE,
                ServiceConfigs.of(Main.SERVICE, TestPostgres.shared().getPort(), database, withDefaults(overrides)));
    }

    /** Sets up {@code server} as user-service on {@code runtime}, wired exactly as Main wires it. */
    static void setUp(WebServerConfig.Builder server, ServiceRuntime runtime) {
        runtime.setup(server, routing -> Main.routing(routing, runtime.db(), Main.auditTrail(runtime.config())));
    }

    private static Map<String, String> withDefaults(Map<String, String> overrides) {
        Map<String, String> all = new HashMap<>();
        all.put("user.service.rate.limit", "100000");
        all.put("user.service.rate.burst", "100000");
        all.put("user.service.log.level", "warn");
        all.putAll(overrides);
        return all;
    }

    /** A unique email for this JVM, so tests never collide with each other. */
    static String email(String prefix) {
        return prefix + "-" + SEQUENCE.incrementAndGet() + "-"
                + UUID.randomUUID().toString().substring(0, 8) + "@example.com";
    }

    static String user(String email, String firstName, String lastName) {
        return body("email", email, "first_name", firstName, "last_name", lastName);
    }

    /** Request helpers on /api/v1/users over the injected Http1Client. */
    static final class Api extends ServiceApi {
        Api(Http1Client client) {
            super(client, USERS);
        }

        HttpResult getUser(String id, String... headers) {
            return getMember(id, headers);
        }

        /** Creates a user, asserting 201, and returns its data. */
        JsonObject create(String json) {
            HttpResult res = post(json);
            assertThat(res.status()).as(res.toString()).isEqualTo(201);
            return res.data();
        }

        JsonObject create(String email, String firstName, String lastName) {
            return create(user(email, firstName, lastName));
        }
    }
}
