package dev.ems.system;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.io.IOException;
import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** The requests the end-to-end tests send with the JDK's client, and what they read from the answers. */
final class EndToEndCalls {
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private EndToEndCalls() {}

    /** {@code method url} with {@code headers} (name, value, ...) and a JSON {@code body} (null: none), 10 s at most. */
    static HttpResponse<String> call(String method, String url, String body, String... headers)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10));
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        request = body == null
                ? request.method(method, HttpRequest.BodyPublishers.noBody())
                : request.header("Content-Type", "application/json")
                        .method(method, HttpRequest.BodyPublishers.ofString(body));
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** {@link #call}, asserting that it answers {@code status}. */
    static HttpResponse<String> expect(int status, String method, String url, String body, String... headers)
            throws IOException, InterruptedException {
        HttpResponse<String> res = call(method, url, body, headers);
        assertThat(res.statusCode()).as(method + " " + url + ": " + res.body()).isEqualTo(status);
        return res;
    }

    static JsonObject json(HttpResponse<String> res) {
        return Json.createReader(new StringReader(res.body())).readObject();
    }

    /** The envelope's {@code data}. */
    static JsonValue data(HttpResponse<String> res) {
        return json(res).get("data");
    }
}
