package io.tally.event;

/**
 * The one place that says what text and numbers Tally takes in: every id, key, store, ref and free-text field of
 * the events API, the admin API and the channel connectors is checked here before it is stored.
 *
 * <p>Identifiers (event ids, order and line ids, stores, refs, SKUs, barcodes, handles) are at most
 * {@link #MAX_ID_LENGTH} or {@link #MAX_KEY_LENGTH} characters of printable Unicode: no control characters (C0, C1,
 * NUL, tab, line breaks), no format characters (byte-order mark, right-to-left and left-to-right marks, zero-width
 * joiners: invisible, so two keys that look equal would differ), no line or paragraph separators, no lone surrogates
 * and no non-characters. Such ids were accepted before and never left {@code pending} (issue 17), and a NUL is
 * refused by PostgreSQL itself. The lengths keep every key far below PostgreSQL's btree entry limit (about 2,700
 * bytes; a character is at most 4 bytes in UTF-8) and cover the channels' own limits: Shopify SKUs and handles
 * (255), Amazon seller SKUs (40), Walmart SKUs (50), GTIN barcodes (14).
 *
 * <p>Free text (a reason, a reference) may hold any printable character and tabs or line breaks, but no NUL or other
 * control or format character, and at most {@link #MAX_TEXT_LENGTH} characters.
 */
public final class InputRules {

    /** Event ids, order ids, line ids: a channel's own ids. */
    public static final int MAX_ID_LENGTH = 200;
    /** Stock keys and refs (sku, barcode, handle, ref) and store ids. */
    public static final int MAX_KEY_LENGTH = 255;
    /** Reasons, references. */
    public static final int MAX_TEXT_LENGTH = 1000;
    /** The largest count or level Tally takes (a quantity, delta, on-hand, safety stock, cap). */
    public static final long MAX_QUANTITY = 1_000_000_000L;

    private InputRules() {}

    /** Checks an identifier; {@code null} passes (required-ness is the caller's). */
    public static void checkId(String field, String value, int maxLength) {
        if (value == null) {
            return;
        }
        String problem = idProblem(value, maxLength);
        if (problem != null) {
            throw new InvalidEventException(field + " " + problem);
        }
    }

    /** Checks free text; {@code null} passes. */
    public static void checkText(String field, String value) {
        if (value == null) {
            return;
        }
        String problem = textProblem(value);
        if (problem != null) {
            throw new InvalidEventException(field + " " + problem);
        }
    }

    /** Checks a count or level: {@code min..MAX_QUANTITY}, or {@code -MAX..MAX} when {@code signed}. */
    public static void checkQuantity(String field, long value, boolean signed) {
        long min = signed ? -MAX_QUANTITY : 0;
        if (value < min || value > MAX_QUANTITY) {
            throw new InvalidEventException(
                    field + " must be between " + min + " and " + MAX_QUANTITY + ", got " + value);
        }
    }

    /** Why the identifier is refused, or null when it is fine. */
    public static String idProblem(String value, int maxLength) {
        if (value.length() > maxLength) {
            return "is longer than " + maxLength + " characters";
        }
        return characterProblem(value, false);
    }

    /** Why the free text is refused, or null when it is fine. */
    public static String textProblem(String value) {
        if (value.length() > MAX_TEXT_LENGTH) {
            return "is longer than " + MAX_TEXT_LENGTH + " characters";
        }
        return characterProblem(value, true);
    }

    /**
     * What PostgreSQL itself would refuse in a text or jsonb column: a NUL or a lone surrogate (not valid UTF-8).
     * Connector events are held to this, so one delivery cannot fail the group commit it shares with others.
     */
    public static String storageProblem(String value, int maxLength) {
        if (value == null) {
            return null;
        }
        if (value.length() > maxLength) {
            return "is longer than " + maxLength + " characters";
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == 0) {
                return "contains a NUL character";
            }
            if (Character.isSurrogate(c)) {
                if (Character.isHighSurrogate(c)
                        && i + 1 < value.length()
                        && Character.isLowSurrogate(value.charAt(i + 1))) {
                    i++;
                } else {
                    return "contains an unpaired surrogate (not valid UTF-8)";
                }
            }
        }
        return null;
    }

    /**
     * The database refused the values themselves, not the moment: SQLSTATE class 22 (data exception: a NUL in text
     * or jsonb, a bad encoding, a number out of range), 23 (integrity) or 54 (program limit: an index entry too large).
     * Retrying would fail the same way.
     */
    public static boolean refusedByDatabase(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof java.sql.SQLException sql && sql.getSQLState() != null) {
                String state = sql.getSQLState();
                return state.startsWith("22") || state.startsWith("23") || state.startsWith("54");
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return false;
    }

    private static String characterProblem(String value, boolean lineBreaksAllowed) {
        for (int i = 0; i < value.length(); ) {
            int cp = value.codePointAt(i);
            if (Character.isSurrogate(value.charAt(i)) && Character.charCount(cp) == 1) {
                return "contains an unpaired surrogate (not valid UTF-8)";
            }
            if (lineBreaksAllowed && (cp == '\t' || cp == '\n' || cp == '\r')) {
                i += Character.charCount(cp);
                continue;
            }
            String name = forbidden(cp);
            if (name != null) {
                return "contains " + name + " (U+" + String.format("%04X", cp) + ") at position " + (i + 1)
                        + "; only printable characters are allowed";
            }
            i += Character.charCount(cp);
        }
        return null;
    }

    private static String forbidden(int cp) {
        if (cp == 0) {
            return "a NUL character";
        }
        if (cp == 0xFEFF) {
            return "a byte-order mark";
        }
        if ((cp & 0xFFFE) == 0xFFFE || (cp >= 0xFDD0 && cp <= 0xFDEF)) {
            return "a non-character";
        }
        return switch (Character.getType(cp)) {
            case Character.CONTROL -> "a control character";
            case Character.FORMAT -> "an invisible format character";
            case Character.LINE_SEPARATOR, Character.PARAGRAPH_SEPARATOR -> "a line separator";
            default -> null;
        };
    }
}
