package dev.ems.core.tracing;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The Zipkin export, against a stand-in Zipkin server that counts the spans of each post. */
class ZipkinExportTest {
    private static final Pattern SPAN = Pattern.compile("\"traceId\"");

    private final List<Integer> spansPerPost = new CopyOnWriteArrayList<>();
    private HttpServer zipkin;

    @BeforeEach
    void startZipkin() throws IOException {
        zipkin = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        zipkin.createContext("/api/v2/spans", exchange -> {
            InputStream in = exchange.getRequestBody();
            if ("gzip".equals(exchange.getRequestHeaders().getFirst("Content-Encoding"))) {
                in = new GZIPInputStream(in);
            }
            String body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            spansPerPost.add((int) SPAN.matcher(body).results().count());
            exchange.sendResponseHeaders(202, -1);
            exchange.close();
        });
        zipkin.start();
    }

    @AfterEach
    void stopZipkin() {
        zipkin.stop(0);
    }

    @Test
    void exportsInTheBatchesTheBatchSettingsAskFor() {
        try (Tracing tracing = Tracing.create(
                "test-service",
                Config.just(ConfigSources.create(Map.of(
                        "otel.traces.exporter", "zipkin",
                        "otel.exporter.zipkin.endpoint",
                                "http://127.0.0.1:" + zipkin.getAddress().getPort() + "/api/v2/spans",
                        "otel.traces.sampler", "always_on",
                        "otel.bsp.schedule.delay", "60000",
                        "otel.bsp.max.export.batch.size", "3"))))) {
            for (int i = 0; i < 7; i++) {
                tracing.tracer().spanBuilder("span " + i).startSpan().end();
            }
        }
        assertThat(spansPerPost)
                .as("full batches of 3 as they fill (not after the 60 s delay), the rest at shutdown")
                .containsExactly(3, 3, 1);
    }
}
