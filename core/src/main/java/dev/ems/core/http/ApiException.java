package dev.ems.core.http;

import java.util.List;
import java.util.Map;

/**
 * The one exception type handlers and services throw to answer with an error envelope.
 * {@link ErrorHandlers} turns it into the response; nothing else writes error bodies.
 * <p>
 * The answer stays proportionate to the request: at most {@value #MAX_DETAILS} details are listed (the message
 * says how many there were), and a field name, which may echo a key the client invented, is cut to
 * {@value #MAX_FIELD} characters.
 */
public class ApiException extends RuntimeException {
    static final int MAX_DETAILS = 50;
    static final int MAX_FIELD = 128;

    private final ErrorCode code;
    private final List<FieldError> details;
    private final Map<String, String> headers;

    public ApiException(ErrorCode code, String message) {
        this(code, message, List.of(), Map.of());
    }

    public ApiException(ErrorCode code, String message, List<FieldError> details, Map<String, String> headers) {
        super(
                details.size() > MAX_DETAILS
                        ? message + " (" + details.size() + " errors, the first " + MAX_DETAILS + " listed)"
                        : message,
                null,
                false,
                false);
        this.code = code;
        this.details =
                details.stream().limit(MAX_DETAILS).map(ApiException::bounded).toList();
        this.headers = Map.copyOf(headers);
    }

    private static FieldError bounded(FieldError error) {
        String field = error.field();
        return field.length() <= MAX_FIELD
                ? error
                : new FieldError(field.substring(0, MAX_FIELD) + "...", error.message());
    }

    public static ApiException validation(List<FieldError> details) {
        return new ApiException(CommonErrorCode.VALIDATION_ERROR, "request validation failed", details, Map.of());
    }

    public static ApiException notFound(String what) {
        return new ApiException(CommonErrorCode.NOT_FOUND, what + " not found");
    }

    public static ApiException invalidParameter(String name, String message) {
        return new ApiException(
                CommonErrorCode.INVALID_PARAMETER,
                "invalid parameter '" + name + "'",
                List.of(new FieldError(name, message)),
                Map.of());
    }

    public ErrorCode code() {
        return code;
    }

    public List<FieldError> details() {
        return details;
    }

    /** Headers that belong to this error (Retry-After, Allow...). */
    public Map<String, String> headers() {
        return headers;
    }
}
