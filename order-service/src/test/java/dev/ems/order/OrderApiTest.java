package dev.ems.order;

import java.util.Map;

import io.helidon.http.HeaderValues;
import io.helidon.http.Status;
import io.helidon.webclient.api.ClientResponseTyped;
import io.helidon.webclient.http1.Http1Client;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.testing.junit5.AfterStop;
import io.helidon.webserver.testing.junit5.ServerTest;
import io.helidon.webserver.testing.junit5.SetUpServer;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

@ServerTest
class OrderApiTest {
    private static UserServiceStandIn users;
    private static OrderTestSupport.Running service;
    private final Http1Client client;

    OrderApiTest(Http1Client client) {
        this.client = client;
    }

    @SetUpServer
    static void server(WebServerConfig.Builder server) {
        users = UserServiceStandIn.start();
        service = OrderTestSupport.setUp(server, users.url(), Map.of());
    }

    @AfterStop
    public static void stop() {
        service.close();
        users.close();
    }

    @Test
    void createComputesTheTotalExactly() {
        ClientResponseTyped<String> res = client.post("/api/v1/orders")
                .header(HeaderValues.CONTENT_TYPE_JSON)
                .submit("{\"user_id\":\"" + java.util.UUID.randomUUID() + "\",\"items\":["
                                + "{\"sku\":\"A\",\"name\":\"a\",\"quantity\":3,\"unit_price\":0.1},"
                                + "{\"sku\":\"B\",\"name\":\"b\",\"quantity\":1,\"unit_price\":0.2}]}", String.class);
        assertThat(res.status()).isEqualTo(Status.CREATED_201);
        assertThat(res.entity()).contains("\"total_amount\":0.50", "\"line_total\":0.30", "\"unit_price\":0.10");
        assertThat(users.requestIds()).hasSize(1).allSatisfy(id -> assertThat(id).isNotBlank());
    }
}
