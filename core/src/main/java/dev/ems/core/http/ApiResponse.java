package dev.ems.core.http;

import java.util.List;

/**
 * The response envelope of every EMS API.
 * <pre>
 * success: {"success": true, "data": ..., "meta": {"page", "page_size", "total_pages", "total_count"}}  (meta on lists only)
 * error:   {"success": false, "error": {"code", "message", "details": [{"field", "message"}]}}  (details where useful)
 * </pre>
 */
public final class ApiResponse {
    private ApiResponse() {
    }

    public static <T> Success<T> of(T data) {
        return new Success<>(true, data, null);
    }

    public static <T> Success<List<T>> of(Page<T> page) {
        return new Success<>(true, page.items(), page.meta());
    }

    public static Failure failure(ErrorCode code, String message, List<FieldError> details) {
        return new Failure(false, new ErrorBody(code.name(), message, details.isEmpty() ? null : details));
    }

    public record Success<T>(boolean success, T data, Meta meta) {
    }

    public record Failure(boolean success, ErrorBody error) {
    }

    public record ErrorBody(String code, String message, List<FieldError> details) {
    }

    public record Meta(long page, int pageSize, long totalPages, long totalCount) {
    }
}
