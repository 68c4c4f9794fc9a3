package dev.ems.audit;

/**
 * CSV cells a spreadsheet will not run: a cell that begins with {@code =}, {@code +}, {@code -}, {@code @}, a tab or a
 * carriage return would be read as a formula (an actor or user agent of {@code =HYPERLINK(...)} reaching an auditor's
 * spreadsheet), so it gets a leading {@code '}, as OWASP's "CSV Injection" guidance recommends. The NDJSON export keeps
 * every value as it is.
 */
final class SpreadsheetSafeCells {
    private static final String FORMULA_STARTS = "=+-@\t\r";

    private SpreadsheetSafeCells() {}

    /** {@code value} as a CSV cell: null stays empty, text that could start a formula gets a leading {@code '}. */
    static String cell(Object value) {
        if (value == null) {
            return null;
        }
        String text = value.toString();
        return !text.isEmpty() && FORMULA_STARTS.indexOf(text.charAt(0)) >= 0 ? "'" + text : text;
    }
}
