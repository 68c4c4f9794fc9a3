package dev.ems.core.filter;

/** The operational endpoints that are neither rate limited nor counted as API traffic. */
final class ObservePaths {
    private ObservePaths() {}

    static boolean isObserve(String path) {
        return path.equals("/health")
                || path.startsWith("/health/")
                || path.equals("/metrics")
                || path.startsWith("/metrics/")
                || path.equals("/openapi")
                || path.startsWith("/openapi/");
    }
}
