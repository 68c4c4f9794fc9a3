package dev.ems.core.http;

import io.helidon.common.parameters.Parameters;

/**
 * {@code page} (>= 1, default 1) and {@code page_size} (1..100, default 10) from the query.
 * Anything else is 400 INVALID_PARAMETER: a client asking for 10 000 rows gets told, not truncated.
 */
public record PageRequest(long page, int pageSize) {
    public static final int DEFAULT_PAGE_SIZE = 10;
    public static final int MAX_PAGE_SIZE = 100;
    /** Keeps {@code offset} far from overflow while allowing any page a real client could ask for. */
    public static final long MAX_PAGE = 1_000_000_000L;

    public static PageRequest from(Parameters query) {
        long page = QueryParams.longParam(query, "page", 1, 1, MAX_PAGE);
        int pageSize = (int) QueryParams.longParam(query, "page_size", DEFAULT_PAGE_SIZE, 1, MAX_PAGE_SIZE);
        return new PageRequest(page, pageSize);
    }

    public long offset() {
        return (page - 1) * pageSize;
    }
}
