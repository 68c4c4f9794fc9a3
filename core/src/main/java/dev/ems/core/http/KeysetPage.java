package dev.ems.core.http;

import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * One keyset page: its items and, when there may be more, the position after the last of them (the next page's
 * cursor).
 */
public record KeysetPage<T, C>(List<T> items, int limit, Optional<C> next) {

    /**
     * The page from the rows read for {@code request} (at most {@link KeysetRequest#rowsToRead()}): a row beyond
     * {@code limit} only says that there is a next page, and is not returned.
     */
    public static <T, C> KeysetPage<T, C> of(List<T> rows, KeysetRequest<C> request, Function<T, C> positionOf) {
        int limit = request.limit();
        boolean more = rows.size() > limit;
        List<T> page = more ? rows.subList(0, limit) : rows;
        return new KeysetPage<>(
                List.copyOf(page), limit, more ? Optional.of(positionOf.apply(page.getLast())) : Optional.empty());
    }

    /** {@code {"limit", "next_cursor"}}, {@code next_cursor} absent on the last page. */
    public ApiResponse.CursorMeta meta(CursorCodec<C> codec) {
        return new ApiResponse.CursorMeta(limit, next.map(codec::encode).orElse(null));
    }
}
