package dev.ems.core.log;

/** What a log line takes from a request (a path, a header) is cut to a bounded length, so no request grows the log. */
public final class LogText {
    private LogText() {}

    /** At most {@code max} characters, marked when cut. */
    public static String cut(String text, int max) {
        return text.length() <= max ? text : text.substring(0, max) + "...(" + text.length() + " characters)";
    }
}
