package dev.ems.core.http;

import io.helidon.common.parameters.Parameters;
import java.util.Optional;

/**
 * Keyset paging: at most {@code limit} items after the position {@code after} (from the start when empty). Unlike a
 * numbered page it costs the same however deep it is, and needs no count.
 *
 * @param <C> the list's position type (see {@link CursorCodec})
 */
public record KeysetRequest<C>(Optional<C> after, int limit) {
    public static final String LIMIT = "limit";
    /** Longer than any cursor EMS issues; a longer one is refused before it is decoded. */
    public static final int MAX_CURSOR_LENGTH = 200;

    /**
     * {@code limit} (1..{@code maxLimit}, default {@code defaultLimit}) and {@code cursor} (a {@code meta.next_cursor}
     * of {@code codec}'s list) from the query; anything else is 400 INVALID_PARAMETER.
     */
    public static <C> KeysetRequest<C> from(Parameters query, int defaultLimit, int maxLimit, CursorCodec<C> codec) {
        int limit = (int) QueryParams.longParam(query, LIMIT, defaultLimit, 1, maxLimit);
        Optional<C> after = QueryParams.text(query, CursorCodec.PARAMETER, MAX_CURSOR_LENGTH)
                .map(codec::decode);
        return new KeysetRequest<>(after, limit);
    }

    /** How many rows to read: one more than the page, so that the extra row tells whether there is a next page. */
    public int rowsToRead() {
        return limit + 1;
    }
}
