package dev.ems.core.http;

import jakarta.json.bind.annotation.JsonbPropertyOrder;
import java.util.List;

/**
 * The response envelope of every EMS API (properties in the order below, for readers; clients must not rely on it).
 * <pre>
 * success: {"success": true, "data": ..., "meta": {"page", "page_size", "total_pages", "total_count"}}  (meta on lists only;
 *          {"limit", "next_cursor"} on keyset pages)
 * error:   {"success": false, "error": {"code", "message", "details": [{"field", "message"}]}}  (details where useful)
 * </pre>
 */
public final class ApiResponse {
    private ApiResponse() {}

    public static <T> Success<T> of(T data) {
        return new Success<>(true, data, null);
    }

    public static <T> Success<List<T>> of(Page<T> page) {
        return new Success<>(true, page.items(), page.meta());
    }

    /** A keyset page: meta {@code {"limit", "next_cursor"}}, next_cursor absent on the last page. */
    public static <T, C> Success<List<T>> of(KeysetPage<T, C> page, CursorCodec<C> codec) {
        return new Success<>(true, page.items(), page.meta(codec));
    }

    /** A list with its own kind of meta (e.g. a batch's counts). */
    public static <T> Success<List<T>> of(List<T> items, Object meta) {
        return new Success<>(true, items, meta);
    }

    public static Failure failure(ErrorCode code, String message, List<FieldError> details) {
        return new Failure(false, new ErrorBody(code.name(), message, details.isEmpty() ? null : details));
    }

    @JsonbPropertyOrder({"success", "data", "meta"})
    public record Success<T>(boolean success, T data, Object meta) {}

    @JsonbPropertyOrder({"success", "error"})
    public record Failure(boolean success, ErrorBody error) {}

    @JsonbPropertyOrder({"code", "message", "details"})
    public record ErrorBody(String code, String message, List<FieldError> details) {}

    @JsonbPropertyOrder({"page", "pageSize", "totalPages", "totalCount"})
    public record Meta(long page, int pageSize, long totalPages, long totalCount) {}

    /** The meta of a keyset page: {@code next_cursor} (null, so absent) on the last page. */
    @JsonbPropertyOrder({"limit", "nextCursor"})
    public record CursorMeta(int limit, String nextCursor) {}
}
