package dev.ems.core.http;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/** Enums travel in lowercase (JSON, query parameters, database); error codes are the only uppercase values. */
public final class WireEnums {
    private WireEnums() {}

    public static String wire(Enum<?> value) {
        return value.name().toLowerCase(Locale.ROOT);
    }

    public static <E extends Enum<E>> Set<String> wireValues(Class<E> type) {
        return Arrays.stream(type.getEnumConstants()).map(WireEnums::wire).collect(Collectors.toUnmodifiableSet());
    }

    public static <E extends Enum<E>> Optional<E> fromWire(Class<E> type, String value) {
        return Arrays.stream(type.getEnumConstants())
                .filter(e -> wire(e).equals(value))
                .findFirst();
    }
}
