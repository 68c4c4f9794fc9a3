package dev.ems.order;

import static dev.ems.order.ResilienceSupport.createOrder;
import static org.assertj.core.api.Assertions.assertThat;

import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.testing.junit5.SetUpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Answers from user-service that are not what was asked: an answer that cannot be read as HTTP (its first byte lost,
 * as bench/run saw) is tried once more; an answer about another user never decides the order. The user-service here
 * is a raw socket server, since a real HTTP server cannot send a broken status line.
 */
class OrderBrokenAnswerTest extends OrderServiceTestBase {
    private static final RawUserService RAW = new RawUserService();

    @SetUpServer
    static void server(WebServerConfig.Builder server) {
        startObserved(server, Map.of("order.service.user.service.url", RAW.url()));
    }

    @AfterAll
    static void stopRaw() throws IOException {
        RAW.close();
    }

    @BeforeEach
    void reset() {
        RAW.calls.set(0);
    }

    @Test
    void anAnswerWithoutItsFirstByteIsTriedOnceMore() {
        RAW.answers.set(Answers.BROKEN_ONCE);
        ResilienceSupport.Reply reply = createOrder(client);
        assertThat(reply.status()).as("%s", reply.body()).isEqualTo(201);
        assertThat(RAW.calls.get()).isEqualTo(2);
    }

    @Test
    void onlyOnce() {
        RAW.answers.set(Answers.BROKEN);
        createOrder(client).assertUserServiceUnavailable();
        assertThat(RAW.calls.get()).isEqualTo(2);
    }

    @Test
    void anAnswerAboutAnotherUserIsNoAnswer() {
        RAW.answers.set(Answers.OTHER_USER);
        UUID userId = UUID.randomUUID();
        createOrder(client, userId).assertUserServiceUnavailable();
        assertThat(RAW.calls.get()).as("not tried again: the answer was HTTP").isEqualTo(1);
    }

    enum Answers {
        BROKEN_ONCE,
        BROKEN,
        OTHER_USER
    }

    /** Reads each request's head and answers on the same connection, as {@link #answers} says. */
    private static final class RawUserService implements AutoCloseable {
        private static final Pattern PATH = Pattern.compile("GET /api/v1/users/([0-9a-f-]{36}) ");
        final AtomicInteger calls = new AtomicInteger();
        final AtomicReference<Answers> answers = new AtomicReference<>(Answers.BROKEN_ONCE);
        private final ServerSocket server;

        RawUserService() {
            try {
                server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
            Thread.ofVirtual().start(this::accept);
        }

        String url() {
            return "http://127.0.0.1:" + server.getLocalPort();
        }

        private void accept() {
            while (!server.isClosed()) {
                try {
                    Socket socket = server.accept();
                    Thread.ofVirtual().start(() -> serve(socket));
                } catch (IOException e) {
                    return; // closed
                }
            }
        }

        private void serve(Socket socket) {
            try (socket;
                    InputStream in = socket.getInputStream();
                    OutputStream out = socket.getOutputStream()) {
                for (String head = readHead(in); !head.isEmpty(); head = readHead(in)) {
                    Matcher path = PATH.matcher(head);
                    String id = path.find() ? path.group(1) : UUID.randomUUID().toString();
                    int call = calls.incrementAndGet();
                    Answers mode = answers.get();
                    String body = "{\"success\":true,\"data\":{\"id\":\""
                            + (mode == Answers.OTHER_USER ? UUID.randomUUID() : id)
                            + "\",\"status\":\"active\",\"subject\":null}}";
                    String response = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: "
                            + body.length() + "\r\n\r\n" + body;
                    boolean broken = mode == Answers.BROKEN || (mode == Answers.BROKEN_ONCE && call == 1);
                    out.write((broken ? response.substring(1) : response).getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                }
            } catch (IOException e) {
                // the client hung up
            }
        }

        /** The request's head up to its blank line; empty at the end of the stream. */
        private static String readHead(InputStream in) throws IOException {
            StringBuilder head = new StringBuilder();
            int c;
            while ((c = in.read()) != -1) {
                head.append((char) c);
                if (head.length() >= 4 && head.substring(head.length() - 4).equals("\r\n\r\n")) {
                    return head.toString();
                }
            }
            return "";
        }

        @Override
        public void close() throws IOException {
            server.close();
        }
    }
}
