package dev.ems.testing;

import io.helidon.webclient.http1.Http1Client;
import java.util.ArrayList;
import java.util.List;

/**
 * The HTTP clients one test opens against one service, each acting as one caller (an {@code Authorization} header value
 * it sends with every request, or none), all closed together after the test ({@link #close()}).
 */
public final class TestClients implements AutoCloseable {
    private final int port;
    private final List<Http1Client> opened = new ArrayList<>();

    public TestClients(int port) {
        this.port = port;
    }

    /** A client sending {@code authorization} ({@link TestIssuer#bearer}) with every request. */
    public Http1Client as(String authorization) {
        return kept(ApiCalls.client(port, authorization));
    }

    /** A client sending no {@code Authorization} at all: an anonymous caller. */
    public Http1Client anonymous() {
        return kept(ApiCalls.anonymousClient(port));
    }

    @Override
    public void close() {
        opened.forEach(Http1Client::closeResource);
        opened.clear();
    }

    private Http1Client kept(Http1Client client) {
        opened.add(client);
        return client;
    }
}
