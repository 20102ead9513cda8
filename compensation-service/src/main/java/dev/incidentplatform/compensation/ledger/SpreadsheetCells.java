package dev.incidentplatform.compensation.ledger;

/**
 * CSV that is safe to open in a spreadsheet (OWASP, CSV injection): a cell that starts with {@code =}, {@code +},
 * {@code -}, {@code @}, a tab or a carriage return would be read as a formula (or hide one), so it is prefixed with a
 * single quote, which spreadsheets take as "text". The export quotes every cell as well. The ledger's numbers are
 * never negative, so no number is changed; only text a client once sent (ids, names) can be.
 */
final class SpreadsheetCells {

    private SpreadsheetCells() {
    }

    static String neutralise(Object value) {
        if (value == null) {
            return "";
        }
        String text = value.toString();
        if (!text.isEmpty() && "=+-@\t\r".indexOf(text.charAt(0)) >= 0) {
            return "'" + text;
        }
        return text;
    }
}
