package io.tally.channel.walmart;

import com.fasterxml.jackson.databind.JsonNode;
import io.tally.event.InvalidEventException;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;

/** Field readers for Walmart's JSON, which spells the same value differently in its orders API and notifications. */
final class WalmartJson {

    private WalmartJson() {}

    /** Walmart sends quantities as strings ({@code "2"}) in the orders API and as numbers in notifications. */
    static long amount(JsonNode node, String what) {
        if (node.isIntegralNumber()) {
            return node.asLong();
        }
        if (node.isTextual() || node.isNumber()) {
            try {
                BigDecimal value = new BigDecimal(node.asText().trim());
                if (value.signum() >= 0 && value.stripTrailingZeros().scale() <= 0) {
                    return value.longValueExact();
                }
            } catch (NumberFormatException | ArithmeticException e) {
                // reported below
            }
        }
        throw new InvalidEventException(what + " is not a whole number of at least 0: " + node);
    }

    /** Epoch milliseconds (orders API) or ISO-8601 (notifications); null when absent or unreadable. */
    static Instant time(JsonNode node) {
        if (node == null || node.isMissingNode() || node.isNull()) {
            return null;
        }
        if (node.isNumber()) {
            return Instant.ofEpochMilli(node.asLong());
        }
        String s = node.asText().trim();
        if (s.isEmpty()) {
            return null;
        }
        if (s.chars().allMatch(Character::isDigit)) {
            return Instant.ofEpochMilli(Long.parseLong(s));
        }
        try {
            return OffsetDateTime.parse(s).toInstant();
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    /** A field's text, trimmed; null when absent, null or blank. */
    static String text(JsonNode node, String field) {
        JsonNode value = node.path(field);
        return value.isNull() || value.isMissingNode() || value.asText().isBlank()
                ? null
                : value.asText().trim();
    }
}
