package io.tally.sandbox.amazon;

import com.fasterxml.jackson.databind.JsonNode;
import io.tally.sandbox.QueryStrings;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/** Parsing of the simulator's request text: paths, query strings, comma lists, dates, JSON fields. */
final class AmazonText {

    private AmazonText() {}

    /** ISO 8601 with or without offset/seconds, or a plain date. */
    static Instant parseDate(String s) {
        try {
            return OffsetDateTime.parse(s).toInstant();
        } catch (DateTimeParseException e) {
            try {
                return java.time.LocalDateTime.parse(s).toInstant(ZoneOffset.UTC);
            } catch (DateTimeParseException e2) {
                return LocalDate.parse(s).atStartOfDay().toInstant(ZoneOffset.UTC);
            }
        }
    }

    static boolean blank(String s) {
        return s == null || s.isBlank();
    }

    static String text(JsonNode n, String field) {
        JsonNode v = n == null ? null : n.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }

    static Set<String> csv(String s) {
        Set<String> out = new HashSet<>();
        if (s != null) {
            Arrays.stream(s.split(","))
                    .map(String::trim)
                    .filter(x -> !x.isEmpty())
                    .forEach(out::add);
        }
        return out;
    }

    static String[] segments(String rawPath) {
        return Arrays.stream(rawPath.split("/")).filter(x -> !x.isEmpty()).toArray(String[]::new);
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
