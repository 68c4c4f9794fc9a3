package dev.ems.core.http;

import io.helidon.common.parameters.Parameters;

/**
 * The two ways an EMS list is paged: numbered pages ({@code page}, {@code page_size}; {@link PageRequest}, meta with
 * counts) and keyset paging ({@code limit}, {@code cursor}; {@link KeysetRequest}, meta with {@code next_cursor}).
 * A request names at most one of them: any parameter of both is 400 INVALID_PARAMETER.
 */
public enum Paging {
    NUMBERED,
    KEYSET;

    /** The way {@code query} asks for; {@code byDefault} when it names neither. */
    public static Paging of(Parameters query, Paging byDefault) {
        boolean numbered = query.contains("page") || query.contains("page_size");
        boolean keyset = query.contains(KeysetRequest.LIMIT) || query.contains(CursorCodec.PARAMETER);
        if (numbered && keyset) {
            throw ApiException.invalidParameter(
                    CursorCodec.PARAMETER, "use either cursor/limit or page/page_size, not both");
        }
        return numbered ? NUMBERED : keyset ? KEYSET : byDefault;
    }
}
