package dev.ems.core.filter;

import dev.ems.core.http.ApiException;
import dev.ems.core.http.CommonErrorCode;
import dev.ems.core.http.ErrorHandlers;
import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * Until the database's migrations have run (the service starts without a database and keeps trying), an API request
 * is answered at once with 503 SERVICE_UNAVAILABLE and {@code Retry-After: 5} rather than failing against tables that
 * do not exist yet. Health and metrics are served meanwhile.
 */
public final class DatabaseReadyFilter implements Filter {
    private final BooleanSupplier migrated;

    public DatabaseReadyFilter(BooleanSupplier migrated) {
        this.migrated = migrated;
    }

    @Override
    public void filter(FilterChain chain, RoutingRequest req, RoutingResponse res) {
        if (!migrated.getAsBoolean() && req.path().absolute().path().startsWith("/api/")) {
            ErrorHandlers.respond(
                    req,
                    res,
                    new ApiException(
                            CommonErrorCode.SERVICE_UNAVAILABLE,
                            "the database is not ready yet, retry later",
                            List.of(),
                            Map.of("Retry-After", "5")));
            return;
        }
        chain.proceed();
    }
}
