package dev.ems.core.http;

import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Optimistic concurrency over HTTP: the ETag of a resource is its version in quotes ({@code "3"}), and
 * {@code If-Match} on a write must name the current version (strong comparison, so weak tags never match).
 */
public final class Preconditions {
    private Preconditions() {}

    public static String etag(long version) {
        return "\"" + version + "\"";
    }

    /** The If-Match header of the request, if any. */
    public static Optional<IfMatch> ifMatch(ServerRequest req) {
        return req.headers().first(HeaderNames.IF_MATCH).map(IfMatch::parse);
    }

    /** A parsed If-Match: {@code *}, or the versions it names (tags that are not EMS versions name nothing). */
    public record IfMatch(boolean any, List<Long> versions) {
        static IfMatch parse(String header) {
            List<Long> versions = new ArrayList<>();
            boolean any = false;
            for (String part : header.split(",", -1)) {
                String tag = part.trim();
                if (tag.equals("*")) {
                    any = true;
                } else if (tag.length() > 2 && tag.startsWith("\"") && tag.endsWith("\"")) {
                    try {
                        versions.add(Long.parseLong(tag.substring(1, tag.length() - 1)));
                    } catch (NumberFormatException ignored) {
                        // a tag we never issued: it matches nothing
                    }
                }
            }
            return new IfMatch(any, List.copyOf(versions));
        }

        public boolean matches(long version) {
            return any || versions.contains(version);
        }

        /** Throws 412 PRECONDITION_FAILED unless this matches {@code version}. */
        public void check(long version) {
            if (!matches(version)) {
                throw new ApiException(
                        CommonErrorCode.PRECONDITION_FAILED,
                        "If-Match does not match the current version " + etag(version));
            }
        }
    }
}
