package dev.ems.user;

import static dev.ems.testing.Envelopes.assertError;
import static dev.ems.user.UserTestSupport.USERS;
import static dev.ems.user.UserTestSupport.email;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ems.testing.Envelopes;
import dev.ems.testing.HttpResult;
import dev.ems.testing.LogCapture;
import dev.ems.testing.RawHttp;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.testing.junit5.SetUpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Requests an attacker sends, over real sockets: a request target too long, a body cut short, invented methods,
 * bytes that are not UTF-8, thousands of field errors, bodies that never arrive, one client holding requests open.
 * Every one is a 4xx envelope (or the connection closed), never a 5xx, never a stack trace in the log, and nothing
 * it sends grows the metrics.
 */
class UserHostileTrafficTest extends UserServiceTestBase {
    private static final Duration BODY_TIMEOUT = Duration.ofSeconds(1);
    private static final int MAX_CONCURRENT = 4;
    private LogCapture log;
    private double serverErrorsBefore;

    @SetUpServer
    static void server(WebServerConfig.Builder server) {
        start(
                server,
                Map.of(
                        "user.service.body-timeout",
                        BODY_TIMEOUT.toMillis() + "ms",
                        "user.service.max-concurrent-requests",
                        String.valueOf(MAX_CONCURRENT)));
    }

    @BeforeEach
    void captureLog() {
        log = LogCapture.start();
        serverErrorsBefore = counter("user_service_requests_total", "status=\"5");
    }

    @AfterEach
    void noStackTraceWasLoggedAndNo5xxCounted() {
        log.close();
        assertThat(log.stackTraces()).as("log records with a stack trace").isEmpty();
        // the registry is the JVM's: other test classes' 5xx (a database outage) may be in it, so compare
        assertThat(counter("user_service_requests_total", "status=\"5"))
                .as("5xx counted")
                .isEqualTo(serverErrorsBefore);
    }

    @Test
    void aRequestTargetLongerThanTheServerReadsIs414InTheEnvelopeAndCounted() {
        double before = counter("user_service_errors_total", "type=\"URI_TOO_LONG\"");
        HttpResult res = RawHttp.exchange(
                port,
                "GET " + USERS + "?q=" + "a".repeat(5000) + " HTTP/1.1\r\nHost: localhost\r\n" + authorization()
                        + "Connection: close\r\n\r\n",
                null);
        assertError(res, 414, "URI_TOO_LONG");
        assertThat(res.hasHeader("X-Request-ID")).isTrue();
        assertThat(counter("user_service_errors_total", "type=\"URI_TOO_LONG\""))
                .isEqualTo(before + 1);
        assertThat(counter("user_service_requests_total", "path=\"unmatched\"", "status=\"414\""))
                .isPositive();
    }

    @Test
    void aBodyCutShortByTheClientIsItsErrorNotTheServers() throws Exception {
        double before =
                counter("user_service_requests_total", "method=\"POST\"", "path=\"" + USERS + "\"", "status=\"400\"");
        try (Socket socket = new Socket("localhost", port)) {
            OutputStream out = socket.getOutputStream();
            out.write(("POST " + USERS + " HTTP/1.1\r\nHost: localhost\r\n" + authorization()
                            + "Content-Type: application/json\r\n" + "Content-Length: 200\r\n\r\n{\"email\":\"half")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
        }
        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> assertThat(counter(
                                "user_service_requests_total",
                                "method=\"POST\"",
                                "path=\"" + USERS + "\"",
                                "status=\"400\""))
                        .isEqualTo(before + 1));
    }

    @Test
    void inventedMethodsAre405AndShareOneMetricLabel() {
        for (int i = 0; i < 5; i++) {
            assertThat(RawHttp.exchange(
                                    port,
                                    "ZZ" + i + " " + USERS + " HTTP/1.1\r\nHost: localhost\r\n" + authorization()
                                            + "Connection: close\r\n\r\n",
                                    null)
                            .status())
                    .isEqualTo(405);
        }
        long series =
                metrics().lines().filter(l -> l.startsWith("user_service_")).count();
        for (int i = 5; i < 60; i++) {
            assertThat(RawHttp.exchange(
                                    port,
                                    "QQ" + i + " " + USERS + " HTTP/1.1\r\nHost: localhost\r\n" + authorization()
                                            + "Connection: close\r\n\r\n",
                                    null)
                            .status())
                    .isEqualTo(405);
        }
        String metrics = metrics();
        assertThat(metrics.lines().filter(l -> l.startsWith("user_service_")).count())
                .as("55 more invented methods add no series")
                .isEqualTo(series);
        assertThat(metrics).doesNotContain("method=\"ZZ", "method=\"QQ").contains("method=\"other\"");
    }

    @Test
    void bytesThatAreNotUtf8AreRefusedNeverReplaced() {
        String email = email("utf8");
        byte[] body = concat(
                ("{\"email\":\"" + email + "\",\"first_name\":\"A").getBytes(StandardCharsets.US_ASCII),
                new byte[] {(byte) 0xff, (byte) 0xfe},
                "B\",\"last_name\":\"Lovelace\"}".getBytes(StandardCharsets.US_ASCII));
        // an overlong encoding of '/' (C0 AF) is not UTF-8 either
        byte[] overlong = concat(
                ("{\"email\":\"" + email + "\",\"first_name\":\"A").getBytes(StandardCharsets.US_ASCII),
                new byte[] {(byte) 0xc0, (byte) 0xaf},
                "B\",\"last_name\":\"Lovelace\"}".getBytes(StandardCharsets.US_ASCII));
        for (byte[] bad : List.of(body, overlong)) {
            HttpResult res = RawHttp.exchange(
                    port,
                    "POST " + USERS + " HTTP/1.1\r\nHost: localhost\r\n" + authorization()
                            + "Content-Type: application/json\r\n" + "Content-Length: " + bad.length
                            + "\r\nConnection: close\r\n\r\n",
                    bad);
            assertError(res, 400, "INVALID_JSON");
            assertThat(res.body()).contains("not valid UTF-8");
        }
        assertThat(api.get(USERS + "?q=" + email.substring(0, email.indexOf('@')))
                        .dataArray())
                .as("nothing stored")
                .isEmpty();
    }

    @Test
    void errorDetailsAreCappedSoTheAnswerStaysProportionate() {
        StringBuilder json = new StringBuilder("{");
        for (int i = 0; i < 500; i++) {
            json.append("\"unknown_").append("x".repeat(300)).append(i).append("\":1,");
        }
        json.append("\"email\":\"cap@example.com\",\"first_name\":\"A\",\"last_name\":\"B\"}");
        HttpResult res = api.post(json.toString());
        Envelopes.assertError(res, 400, "VALIDATION_ERROR");
        assertThat(res.json().getJsonObject("error").getJsonArray("details")).hasSize(50);
        assertThat(res.json().getJsonObject("error").getString("message")).contains("500 errors, the first 50 listed");
        assertThat(res.body().length())
                .as("a bounded answer to a 150 KB request")
                .isLessThan(12_000);
    }

    @Test
    void aBodyThatNeverArrivesEndsAtTheDeadlineAndTheConnectionIsClosed() throws Exception {
        double before = counter("user_service_errors_total", "type=\"REQUEST_TIMEOUT\"");
        for (String head : List.of(
                // a trickle: part of the body, then nothing
                "POST " + USERS + " HTTP/1.1\r\nHost: localhost\r\n" + authorization()
                        + "Content-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"em",
                // Expect: 100-continue, and the body never comes
                "POST " + USERS
                        + " HTTP/1.1\r\nHost: localhost\r\n" + authorization()
                        + "Content-Type: application/json\r\nContent-Length: 60\r\n"
                        + "Expect: 100-continue\r\n\r\n")) {
            long start = System.nanoTime();
            try (Socket socket = new Socket("localhost", port)) {
                socket.setSoTimeout(10_000);
                socket.getOutputStream().write(head.getBytes(StandardCharsets.US_ASCII));
                String answer = readUntilClosed(socket);
                Duration took = Duration.ofNanos(System.nanoTime() - start);
                assertThat(took)
                        .as("cut off at the deadline: " + answer)
                        .isBetween(BODY_TIMEOUT.minusMillis(100), BODY_TIMEOUT.plusSeconds(3));
                assertThat(answer).doesNotContain("HTTP/1.1 5");
            }
        }
        await().atMost(Duration.ofSeconds(5))
                .untilAsserted(() -> assertThat(counter("user_service_errors_total", "type=\"REQUEST_TIMEOUT\""))
                        .isEqualTo(before + 2));
    }

    @Test
    void aClientHoldingRequestsOpenGetsItsShareAndTheOthersAreServed() throws Exception {
        List<Socket> attacker = new ArrayList<>();
        try {
            // the attacker (127.0.0.2) starts as many slow bodies as it may: half the slots
            for (int i = 0; i < MAX_CONCURRENT / 2; i++) {
                attacker.add(slowBody("127.0.0.2"));
            }
            Thread.sleep(300); // their headers are read and their requests counted in; the refusal below proves it
            // one more from the attacker is refused: its share is taken (the 429 is counted at once; its answer waits
            // for the body the request announced, within the deadline, and so reaches a trickling client rarely)
            double refusedBefore = counter("user_service_errors_total", "type=\"RATE_LIMIT_EXCEEDED\"");
            attacker.add(slowBody("127.0.0.2"));
            await().atMost(Duration.ofSeconds(5))
                    .untilAsserted(
                            () -> assertThat(counter("user_service_errors_total", "type=\"RATE_LIMIT_EXCEEDED\""))
                                    .isEqualTo(refusedBefore + 1));
            // another client (127.0.0.1) is served normally, at once
            long start = System.nanoTime();
            assertThat(api.get(USERS).status()).isEqualTo(200);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(1));
            // and every request of the attacker ends at the body deadline, its connection closed
            for (Socket socket : attacker) {
                socket.setSoTimeout(10_000);
                long waited = System.nanoTime();
                assertThat(readUntilClosed(socket)).doesNotContain("HTTP/1.1 5");
                assertThat(Duration.ofNanos(System.nanoTime() - waited)).isLessThan(BODY_TIMEOUT.plusSeconds(3));
            }
        } finally {
            for (Socket socket : attacker) {
                socket.close();
            }
        }
    }

    @Test
    void ambiguousFramingIsRefusedOnceAndTheConnectionClosed() throws Exception {
        String user = "{\"email\":\"" + email("frame") + "\",\"first_name\":\"A\",\"last_name\":\"B\"}";
        String chunked = Integer.toHexString(user.length()) + "\r\n" + user + "\r\n0\r\n\r\n";
        String post = "POST " + USERS + " HTTP/1.1\r\nHost: localhost\r\n" + authorization()
                + "Content-Type: application/json\r\n";
        // each case is followed by a second request on the same connection, which must never be answered
        String next = "GET " + USERS + " HTTP/1.1\r\nHost: localhost\r\n" + authorization() + "\r\n";
        Map<String, String> cases = Map.ofEntries(
                Map.entry(
                        "Content-Length with Transfer-Encoding",
                        post + "Content-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n" + chunked),
                Map.entry("Transfer-Encoding: Chunked", post + "Transfer-Encoding: Chunked\r\n\r\n" + chunked),
                Map.entry(
                        "Transfer-Encoding: gzip, chunked",
                        post + "Transfer-Encoding: gzip, chunked\r\n\r\n" + chunked),
                Map.entry(
                        "Transfer-Encoding: chunked, identity",
                        post + "Transfer-Encoding: chunked, identity\r\n\r\n" + chunked),
                Map.entry(
                        "two Transfer-Encoding lines",
                        post + "Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n" + chunked),
                Map.entry("Content-Length: +N", post + "Content-Length: +" + user.length() + "\r\n\r\n" + user),
                Map.entry("Content-Length: -1", post + "Content-Length: -1\r\n\r\n" + chunked),
                Map.entry("Content-Length: -1 before a plain body", post + "Content-Length: -1\r\n\r\n" + user),
                Map.entry(
                        "two different Content-Length",
                        post + "Content-Length: " + user.length() + "\r\nContent-Length: " + (user.length() + 20)
                                + "\r\n\r\n" + user),
                Map.entry(
                        "chunk size that is not hex",
                        post + "Transfer-Encoding: chunked\r\n\r\nzz\r\n" + user + "\r\n0\r\n\r\n"),
                Map.entry(
                        "a trailer after the last chunk",
                        post + "Transfer-Encoding: chunked\r\n\r\n"
                                + chunked.replace("0\r\n\r\n", "0\r\nX-Trailer: 1\r\n\r\n")));
        for (Map.Entry<String, String> c : cases.entrySet()) {
            try (Socket socket = new Socket("localhost", port)) {
                socket.setSoTimeout(5_000);
                socket.getOutputStream().write((c.getValue() + next).getBytes(StandardCharsets.US_ASCII));
                long start = System.nanoTime();
                String answer = readUntilClosed(socket);
                assertThat(Duration.ofNanos(System.nanoTime() - start))
                        .as(c.getKey() + ": closed, not left hanging")
                        .isLessThan(Duration.ofSeconds(4));
                assertThat(answer).as(c.getKey()).startsWith("HTTP/1.1 400").contains("\"code\":\"BAD_REQUEST\"");
                assertThat(answer.split("HTTP/1.1 ", -1))
                        .as(c.getKey() + ": one answer, the next request unread: " + answer)
                        .hasSize(2);
            }
        }
        assertThat(api.get(USERS + "?q=frame").dataArray()).as("nothing stored").isEmpty();
    }

    @Test
    void aQueryStringThatIsNotWellFormedIs400() {
        for (String query : List.of("q=%zz", "q=%", "q=a%2", "q=%00", "q=a%0Ab", "q=%C0%AF", "q=%FF")) {
            HttpResult res = RawHttp.exchange(
                    port,
                    "GET " + USERS + "?" + query + " HTTP/1.1\r\nHost: localhost\r\n" + authorization()
                            + "Connection: close\r\n\r\n",
                    null);
            assertError(res, 400, "BAD_REQUEST");
        }
        // well-formed escapes and a timestamp's ':' stay fine
        assertThat(api.get(USERS + "?q=%41da").status()).isEqualTo(200);
        assertThat(RawHttp.exchange(
                                port,
                                "GET " + USERS + "?q=%C3%A9 HTTP/1.1\r\nHost: localhost\r\n" + authorization()
                                        + "Connection: close\r\n\r\n",
                                null)
                        .status())
                .isEqualTo(200);
    }

    /** A POST from {@code localAddress} that announces a body and sends only its first byte. */
    private Socket slowBody(String localAddress) throws IOException {
        Socket socket = new Socket();
        socket.bind(new InetSocketAddress(localAddress, 0));
        socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        socket.getOutputStream()
                .write(("POST " + USERS + " HTTP/1.1\r\nHost: localhost\r\n" + authorization()
                                + "Content-Type: application/json\r\n" + "Content-Length: 100\r\n\r\n{")
                        .getBytes(StandardCharsets.US_ASCII));
        socket.getOutputStream().flush();
        return socket;
    }

    /** Everything the server sends until it closes the connection (or the socket's timeout passes). */
    private static String readUntilClosed(Socket socket) throws IOException {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        InputStream in = socket.getInputStream();
        byte[] buf = new byte[4096];
        try {
            for (int n = in.read(buf); n >= 0; n = in.read(buf)) {
                all.write(buf, 0, n);
            }
        } catch (SocketException | SocketTimeoutException e) {
            // reset by the server, or still open: what arrived is the answer
        }
        return all.toString(StandardCharsets.UTF_8);
    }

    private String metrics() {
        return api.get("/metrics", "Accept", "text/plain").body();
    }

    /** The value of the first series of {@code metric} with all {@code labels}, 0 when there is none. */
    private double counter(String metric, String... labels) {
        return metrics()
                .lines()
                .filter(l -> l.startsWith(metric + "{"))
                .filter(l -> List.of(labels).stream().allMatch(l::contains))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
                .sum();
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }
}
