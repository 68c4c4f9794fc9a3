package dev.ems.testing;

import io.helidon.http.HeaderNames;
import io.helidon.http.Method;
import io.helidon.webclient.api.HttpClientResponse;
import io.helidon.webclient.http1.Http1Client;
import io.helidon.webclient.http1.Http1ClientRequest;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Thin request helpers over an Http1Client (the tests' clients send an admin's bearer token by default, see
 * {@link TestIssuer}); every response is read fully into an {@link HttpResult}, and every exchange, with the headers
 * actually sent, is checked against the service's OpenAPI document ({@link OpenApiContract}).
 */
public final class ApiCalls {
    public static final String JSON = "application/json";

    private final Http1Client client;

    public ApiCalls(Http1Client client) {
        this.client = client;
    }

    /**
     * A client of the service on localhost:{@code port} that sends {@code authorization} (an {@code Authorization}
     * header value, {@link TestIssuer#bearer}) with every request; close it after the test ({@code closeResource()}).
     */
    public static Http1Client client(int port, String authorization) {
        return Http1Client.builder()
                .baseUri("http://localhost:" + port)
                .addHeader(HeaderNames.AUTHORIZATION, authorization)
                .build();
    }

    /** A client of the service on localhost:{@code port} that sends no {@code Authorization}: an anonymous caller. */
    public static Http1Client anonymousClient(int port) {
        return Http1Client.builder().baseUri("http://localhost:" + port).build();
    }

    /**
     * Sends a request and returns the response (status, headers, body), checked against the service's contract.
     *
     * @param uri     a path, optionally with a query (its values percent-encoded)
     * @param body    null for no entity
     * @param headers name/value pairs; each replaces a header of the client's defaults of the same name
     */
    public HttpResult call(Method method, String uri, String body, String... headers) {
        int question = uri.indexOf('?');
        String path = question < 0 ? uri : uri.substring(0, question);
        Http1ClientRequest req = client.method(method).path(path);
        Map<String, List<String>> query = new LinkedHashMap<>();
        if (question >= 0) {
            // the client re-encodes query values, so hand it the decoded ones (repeated names kept)
            for (String pair : uri.substring(question + 1).split("&", -1)) {
                if (pair.isEmpty()) {
                    continue; // "a=1&&b=2", a trailing '&': no parameter
                }
                int eq = pair.indexOf('=');
                String name = eq < 0 ? pair : pair.substring(0, eq);
                String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                query.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
            }
            query.forEach((name, values) -> req.queryParam(name, values.toArray(String[]::new)));
        }
        for (int i = 0; i < headers.length; i += 2) {
            req.header(HeaderNames.create(headers[i]), headers[i + 1]);
        }
        // what is sent: the test's headers over the client's defaults (its Authorization, say)
        List<String> sent = new ArrayList<>();
        req.headers()
                .forEach(h -> h.allValues().forEach(v -> {
                    sent.add(h.name());
                    sent.add(v);
                }));
        HttpResult result;
        try (HttpClientResponse res = body == null ? req.request() : req.submit(body)) {
            Map<String, List<String>> map = new LinkedHashMap<>();
            res.headers()
                    .forEach(h -> map.computeIfAbsent(h.name().toLowerCase(Locale.ROOT), k -> new ArrayList<>())
                            .addAll(h.allValues()));
            String text = res.entity().hasEntity() ? res.as(String.class) : "";
            result = new HttpResult(res.status().code(), map, text);
        }
        OpenApiContract.get().check(method.text(), path, query, sent.toArray(String[]::new), body, result);
        return result;
    }

    public HttpResult get(String uri, String... headers) {
        return call(Method.GET, uri, null, headers);
    }

    /** POSTs {@code json}, as application/json unless {@code headers} name a Content-Type. */
    public HttpResult post(String path, String json, String... headers) {
        return call(Method.POST, path, json, withJson(headers));
    }

    /** PUTs {@code json}, as application/json unless {@code headers} name a Content-Type. */
    public HttpResult put(String path, String json, String... headers) {
        return call(Method.PUT, path, json, withJson(headers));
    }

    /** PATCHes {@code json}, as application/json unless {@code headers} name a Content-Type. */
    public HttpResult patch(String path, String json, String... headers) {
        return call(Method.PATCH, path, json, withJson(headers));
    }

    public HttpResult delete(String path, String... headers) {
        return call(Method.DELETE, path, null, headers);
    }

    /** {@code headers}, with a JSON Content-Type in front unless they name one. */
    private static String[] withJson(String... headers) {
        for (int i = 0; i < headers.length; i += 2) {
            if (headers[i].equalsIgnoreCase("Content-Type")) {
                return headers;
            }
        }
        String[] all = new String[headers.length + 2];
        all[0] = "Content-Type";
        all[1] = JSON;
        System.arraycopy(headers, 0, all, 2, headers.length);
        return all;
    }
}
