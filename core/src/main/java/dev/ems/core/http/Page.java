package dev.ems.core.http;

import java.util.List;

/** One page of a list plus what the client needs to walk the rest. */
public record Page<T>(List<T> items, PageRequest request, long totalCount) {

    public ApiResponse.Meta meta() {
        long totalPages = (totalCount + request.pageSize() - 1) / request.pageSize();
        return new ApiResponse.Meta(request.page(), request.pageSize(), totalPages, totalCount);
    }
}
