package dev.ems.user;

import java.util.Map;

import dev.ems.core.server.ServiceRuntime;
import dev.ems.core.testing.TestPostgres;

import io.helidon.http.Status;
import io.helidon.webclient.api.HttpClientResponse;
import io.helidon.webclient.http1.Http1Client;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.testing.junit5.AfterStop;
import io.helidon.webserver.testing.junit5.ServerTest;
import io.helidon.webserver.testing.junit5.SetUpServer;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

@ServerTest
class UserApiTest {
    private static ServiceRuntime runtime;
    private final Http1Client client;

    UserApiTest(Http1Client client) {
        this.client = client;
    }

    @SetUpServer
    static void server(WebServerConfig.Builder server) {
        runtime = ServiceRuntime.create(Main.SERVICE, TestPostgres.serviceConfig(Main.SERVICE, Map.of()));
        runtime.setup(server, routing -> Main.routing(routing, runtime.db()));
    }

    @AfterStop
    public static void stop() {
        runtime.close();
    }

    @Test
    void createsAndReadsAUser() {
        try (HttpClientResponse res = client.post("/api/v1/users")
                .header(io.helidon.http.HeaderValues.CONTENT_TYPE_JSON)
                .submit("{\"email\":\"ada@example.com\",\"first_name\":\"Ada\",\"last_name\":\"Lovelace\"}")) {
            assertThat(res.status()).isEqualTo(Status.CREATED_201);
            assertThat(res.as(String.class)).contains("\"email\":\"ada@example.com\"");
        }
    }
}
