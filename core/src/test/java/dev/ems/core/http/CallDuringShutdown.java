package dev.ems.core.http;

import io.helidon.webclient.api.HttpClientResponse;
import io.helidon.webclient.api.WebClient;
import io.helidon.webserver.WebServer;

/**
 * Run in a JVM of its own by {@link OutboundHttpTest}: calls a server once, then again from a shutdown hook while the
 * JVM shuts down (as a request served during the drain does), and prints the outcome. {@code own}: a client of
 * {@link OutboundHttp}; {@code shared}: a plain WebClient on Helidon's shared connection cache.
 */
public final class CallDuringShutdown {
    private CallDuringShutdown() {}

    public static void main(String[] args) {
        WebServer server = WebServer.builder()
                .port(0)
                .host("localhost")
                .shutdownHook(false) // the server serves on through the JVM's shutdown, as the service's drain does
                .routing(routing -> routing.get("/ping", (req, res) -> res.send("pong")))
                .build()
                .start();
        String base = "http://localhost:" + server.port();
        WebClient client = "own".equals(args[0])
                ? OutboundHttp.builder().baseUri(base).build()
                : WebClient.builder().baseUri(base).build();
        System.out.println("before shutdown: " + call(client));
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                Thread.sleep(300); // Helidon's own hooks run meanwhile
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            System.out.println("during shutdown: " + call(client));
            System.out.flush();
        }));
        System.exit(0);
    }

    private static String call(WebClient client) {
        try (HttpClientResponse res = client.get("/ping").request()) {
            return String.valueOf(res.status().code());
        } catch (RuntimeException e) {
            return "failed: " + e.getMessage();
        }
    }
}
