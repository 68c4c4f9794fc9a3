package dev.ems.testing;

import io.helidon.http.Method;
import io.helidon.webclient.http1.Http1Client;

/**
 * Base of a service's request helpers in tests: the generic {@link #call} and {@link #get}, the usual verbs on one
 * resource collection (e.g. {@code /api/v1/users}: POST to it; GET, PUT, PATCH, DELETE on {@code collection/id}), and
 * {@link #http} for what a subclass adds on its other paths.
 */
public abstract class ServiceApi {
    protected final ApiCalls http;
    private final String collection;

    protected ServiceApi(Http1Client client, String collection) {
        this.http = new ApiCalls(client);
        this.collection = collection;
    }

    /** See {@link ApiCalls#call}. */
    public HttpResult call(Method method, String uri, String body, String... headers) {
        return http.call(method, uri, body, headers);
    }

    public HttpResult get(String uri, String... headers) {
        return http.get(uri, headers);
    }

    /** POSTs {@code json} to the collection. */
    public HttpResult post(String json, String... headers) {
        return http.post(collection, json, headers);
    }

    /** GETs the member {@code id} of the collection. */
    public HttpResult getMember(String id, String... headers) {
        return http.get(collection + "/" + id, headers);
    }

    public HttpResult put(String id, String json, String... headers) {
        return http.put(collection + "/" + id, json, headers);
    }

    public HttpResult patch(String id, String json, String... headers) {
        return http.patch(collection + "/" + id, json, headers);
    }

    public HttpResult delete(String id, String... headers) {
        return http.delete(collection + "/" + id, headers);
    }

    /**
     * The sum of the series of {@code metric} in /metrics (Prometheus text) whose labels include {@code labels} (name,
     * value pairs); 0 while there is none.
     */
    public double metric(String metric, String... labels) {
        return http.get("/metrics", "Accept", "text/plain")
                .body()
                .lines()
                .filter(line -> line.startsWith(metric + "{"))
                .filter(line -> {
                    for (int i = 0; i < labels.length; i += 2) {
                        if (!line.contains(labels[i] + "=\"" + labels[i + 1] + "\"")) {
                            return false;
                        }
                    }
                    return true;
                })
                .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
                .sum();
    }
}
