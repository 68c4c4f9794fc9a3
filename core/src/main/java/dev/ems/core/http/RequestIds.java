package dev.ems.core.http;

import java.util.regex.Pattern;

/** What an incoming X-Request-ID may look like to be reused (so it is safe in logs and headers). */
public final class RequestIds {
    private static final Pattern SANE = Pattern.compile("[A-Za-z0-9._:\\-]{1,128}");

    private RequestIds() {}

    public static boolean isSane(String candidate) {
        return candidate != null && SANE.matcher(candidate).matches();
    }
}
