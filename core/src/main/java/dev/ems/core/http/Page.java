package dev.ems.core.http;

import java.util.List;
import java.util.function.Function;
import java.util.function.LongSupplier;

/** One page of a list plus what the client needs to walk the rest. */
public record Page<T>(List<T> items, PageRequest request, long totalCount) {

    /** Counts, then reads the page's rows unless the page lies past the end (no query for an empty answer). */
    public static <T> Page<T> of(PageRequest request, LongSupplier count, Function<PageRequest, List<T>> rows) {
        long total = count.getAsLong();
        return new Page<>(request.offset() >= total ? List.of() : rows.apply(request), request, total);
    }

    public ApiResponse.Meta meta() {
        long totalPages = (totalCount + request.pageSize() - 1) / request.pageSize();
        return new ApiResponse.Meta(request.page(), request.pageSize(), totalPages, totalCount);
    }
}
