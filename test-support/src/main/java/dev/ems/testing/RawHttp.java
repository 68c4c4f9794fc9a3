package dev.ems.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.SocketException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A raw HTTP/1.1 exchange over a socket, for requests a client would "fix" (e.g. a missing Content-Type). The
 * response is checked against the service's OpenAPI document ({@link OpenApiContract#checkResponse}); the request,
 * malformed on purpose, is not.
 */
public final class RawHttp {
    private static final Pattern CONTENT_LENGTH = Pattern.compile("\r\ncontent-length:\\s*(\\d+)");

    private RawHttp() {}

    /**
     * Writes {@code head} (request line and headers, ending with an empty line) and {@code body} (or nothing when null)
     * to localhost:{@code port}, and reads the response (de-chunked).
     */
    public static HttpResult exchange(int port, String head, byte[] body) {
        try (Socket socket = new Socket("localhost", port)) {
            socket.setSoTimeout((int) Duration.ofSeconds(10).toMillis());
            OutputStream out = socket.getOutputStream();
            out.write(head.getBytes(StandardCharsets.ISO_8859_1));
            if (body != null) {
                out.write(body);
            }
            out.flush();
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            byte[] buf = new byte[8192];
            int n;
            try {
                while (!complete(all.toString(StandardCharsets.ISO_8859_1)) && (n = in.read(buf)) >= 0) {
                    all.write(buf, 0, n);
                }
            } catch (SocketException e) {
                // the server may reset the connection after answering; keep what arrived
            }
            HttpResult result = parse(all.toString(StandardCharsets.UTF_8));
            checkContract(head, result);
            return result;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Checks the response against the contract when the request line names a method and an origin-form target. */
    private static void checkContract(String head, HttpResult result) {
        String[] requestLine = head.split("\r\n", 2)[0].split(" ", -1);
        if (requestLine.length != 3 || !requestLine[1].startsWith("/")) {
            return;
        }
        String target = requestLine[1];
        int question = target.indexOf('?');
        Map<String, List<String>> query = new LinkedHashMap<>();
        if (question >= 0) {
            try {
                for (String pair : target.substring(question + 1).split("&", -1)) {
                    if (pair.isEmpty()) {
                        continue; // "a=1&&b=2", a trailing '&': no parameter
                    }
                    int eq = pair.indexOf('=');
                    query.computeIfAbsent(eq < 0 ? pair : pair.substring(0, eq), k -> new ArrayList<>())
                            .add(eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
                }
            } catch (IllegalArgumentException e) {
                query.clear(); // a malformed query on purpose: the response is still checked
            }
        }
        OpenApiContract.get()
                .checkResponse(requestLine[0], question < 0 ? target : target.substring(0, question), query, result);
    }

    /** Whether {@code text} holds a whole response (headers, then Content-Length bytes or the last chunk). */
    private static boolean complete(String text) {
        int end = text.indexOf("\r\n\r\n");
        if (end < 0) {
            return false;
        }
        String head = text.substring(0, end).toLowerCase(Locale.ROOT);
        Matcher length = CONTENT_LENGTH.matcher(head);
        if (length.find()) {
            return text.length() - end - 4 >= Integer.parseInt(length.group(1));
        }
        if (head.contains("transfer-encoding: chunked")) {
            return text.endsWith("\r\n0\r\n\r\n") || text.substring(end + 4).startsWith("0\r\n\r\n");
        }
        return false;
    }

    private static HttpResult parse(String text) {
        int end = text.indexOf("\r\n\r\n");
        assertThat(end).as("an HTTP response: " + text).isPositive();
        String[] lines = text.substring(0, end).split("\r\n", -1);
        int status = Integer.parseInt(lines[0].split(" ", -1)[1]);
        Map<String, List<String>> headers = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            headers.computeIfAbsent(
                            lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), k -> new ArrayList<>())
                    .add(lines[i].substring(colon + 1).trim());
        }
        String body = text.substring(end + 4);
        List<String> te = headers.get("transfer-encoding");
        if (te != null && te.getFirst().equalsIgnoreCase("chunked")) {
            StringBuilder decoded = new StringBuilder();
            int pos = 0;
            while (pos < body.length()) {
                int lineEnd = body.indexOf("\r\n", pos);
                int size = Integer.parseInt(body.substring(pos, lineEnd).trim(), 16);
                if (size == 0) {
                    break;
                }
                decoded.append(body, lineEnd + 2, lineEnd + 2 + size);
                pos = lineEnd + 2 + size + 2;
            }
            body = decoded.toString();
        }
        return new HttpResult(status, headers, body);
    }
}
