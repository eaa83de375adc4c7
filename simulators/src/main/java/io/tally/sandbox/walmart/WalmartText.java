package io.tally.sandbox.walmart;

import io.tally.sandbox.QueryStrings;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Map;

/** Parsing of the simulator's request text: dates, query strings, URL-encoded segments, map keys. */
final class WalmartText {

    private WalmartText() {}

    /** ISO 8601 date or date-time (offset optional) or epoch milliseconds; null stays null. */
    static Instant date(String s) {
        if (s == null || s.isBlank()) {
            return null;
        }
        if (s.chars().allMatch(Character::isDigit)) {
            return Instant.ofEpochMilli(Long.parseLong(s));
        }
        try {
            return OffsetDateTime.parse(s).toInstant();
        } catch (DateTimeParseException e) {
            try {
                return LocalDateTime.parse(s).toInstant(ZoneOffset.UTC);
            } catch (DateTimeParseException e2) {
                return LocalDate.parse(s).atStartOfDay().toInstant(ZoneOffset.UTC);
            }
        }
    }

    static String decode(String s) {
        return QueryStrings.decode(s);
    }

    static Map<String, String> query(String raw) {
        return QueryStrings.query(raw);
    }

    static String key(String a, String b) {
        return a + "\u0000" + b;
    }
}
