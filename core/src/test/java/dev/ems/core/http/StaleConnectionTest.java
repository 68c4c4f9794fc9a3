package dev.ems.core.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.helidon.webclient.api.HttpClientResponse;
import io.helidon.webclient.api.WebClient;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.testing.junit5.ServerTest;
import io.helidon.webserver.testing.junit5.SetUpRoute;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Helidon 4.1.7's monitor of an idle pooled connection gives up on it after the client's read timeout of idleness, in
 * 101 ms steps; a call that reuses the connection in the last step and is answered after it fails although the server
 * is fine. {@link OutboundHttp#request} names that failure {@link OutboundHttp.StaleConnection}, so that an idempotent
 * caller can repeat the call. Should a Helidon upgrade change the failure, this test says so.
 * <p>
 * With a read timeout of 500 ms the last step runs from 404 to 505 ms of idleness; the answers take 200 ms. The calls
 * below reuse the connection after idle times around that window, so that timing jitter cannot make all of them miss.
 */
@ServerTest
class StaleConnectionTest {
    private final WebClient client;

    StaleConnectionTest(URI uri) {
        this.client = OutboundHttp.builder()
                .baseUri(uri)
                .readTimeout(Duration.ofMillis(500))
                .build();
    }

    @SetUpRoute
    static void routing(HttpRouting.Builder routing) {
        routing.get("/slow", (req, res) -> {
            Thread.sleep(200);
            res.send("done");
        });
    }

    @Test
    void aCallOnAConnectionItsIdleMonitorGaveUpOnFailsAsStaleConnection() throws InterruptedException {
        assertThat(call()).isEqualTo("200");
        List<String> outcomes = new ArrayList<>();
        for (int idleMillis = 380; idleMillis <= 500; idleMillis += 15) {
            Thread.sleep(idleMillis);
            outcomes.add(call());
        }
        assertThat(outcomes).as("answers or stale connections, nothing else").containsOnly("200", "stale");
        assertThat(outcomes).as("the window was met").contains("stale");
    }

    private String call() {
        try (HttpClientResponse res = OutboundHttp.request(client.get("/slow"))) {
            return Integer.toString(res.status().code());
        } catch (OutboundHttp.StaleConnection e) {
            return "stale";
        }
    }
}
