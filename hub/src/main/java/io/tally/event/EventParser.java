package io.tally.event;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import io.tally.policy.StoreProperties;
import io.tally.policy.StoreRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.springframework.stereotype.Component;

/** Turns a POST /api/events body into canonical events, or refuses it with a precise reason. */
@Component
public class EventParser {

    static final int MAX_EVENTS_PER_REQUEST = 1000;
    /** The earliest and latest occurredAt taken: PostgreSQL's timestamptz ends at year 294276, Instant does not. */
    private static final Instant EARLIEST = Instant.parse("1970-01-01T00:00:00Z");

    private static final Instant LATEST = Instant.parse("9999-12-31T23:59:59Z");
    private static final Set<String> KNOWN_FIELDS = Set.of(
            "id",
            "channel",
            "store",
            "type",
            "sku",
            "barcode",
            "handle",
            "ref",
            "quantity",
            "orderId",
            "lineId",
            "occurredAt",
            "stage",
            "cause");

    /**
     * Strict: content after the JSON value ("{...} garbage", "{...}{...}") and a field given twice (which one
     * would count?) are refused, not silently ignored.
     */
    private final ObjectReader reader;

    private final StoreRegistry stores;

    public EventParser(ObjectMapper objectMapper, StoreRegistry stores) {
        this.reader = objectMapper
                .reader()
                .with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .with(StreamReadFeature.STRICT_DUPLICATE_DETECTION);
        this.stores = stores;
    }

    public List<CanonicalEvent> parse(String body) {
        if (body == null || body.isBlank()) {
            throw emptyBody();
        }
        try {
            return parse(reader.readTree(body));
        } catch (JsonProcessingException e) {
            throw new InvalidEventException("malformed JSON: " + e.getOriginalMessage());
        }
    }

    /** Reads the JSON straight from the request stream (UTF-8, as JSON requires): no copy of the body as text. */
    public List<CanonicalEvent> parse(InputStream body) {
        JsonNode root;
        try {
            root = body == null ? null : reader.readTree(new StrictUtf8InputStream(body));
        } catch (JsonProcessingException e) {
            throw new InvalidEventException("malformed JSON: " + e.getOriginalMessage());
        } catch (java.io.CharConversionException e) {
            throw new InvalidEventException("the request body is not valid UTF-8: " + e.getMessage());
        } catch (IOException e) {
            throw new InvalidEventException("request body could not be read");
        }
        if (root == null || root.isMissingNode()) {
            throw emptyBody();
        }
        return parse(root);
    }

    private static InvalidEventException emptyBody() {
        return new InvalidEventException("request body is empty; expected one event object or an array of events");
    }

    private List<CanonicalEvent> parse(JsonNode root) {
        List<CanonicalEvent> events = new ArrayList<>();
        if (root.isArray()) {
            if (root.isEmpty()) {
                throw new InvalidEventException("the event array is empty");
            }
            if (root.size() > MAX_EVENTS_PER_REQUEST) {
                throw new InvalidEventException("at most " + MAX_EVENTS_PER_REQUEST + " events per request");
            }
            for (int i = 0; i < root.size(); i++) {
                events.add(parseOne(root.get(i), "events[" + i + "]: "));
            }
        } else if (root.isObject()) {
            events.add(parseOne(root, ""));
        } else {
            throw new InvalidEventException("expected one event object or an array of events");
        }
        return events;
    }

    private CanonicalEvent parseOne(JsonNode node, String where) {
        if (!node.isObject()) {
            throw new InvalidEventException(where + "an event must be a JSON object");
        }
        node.fieldNames().forEachRemaining(name -> {
            if (!KNOWN_FIELDS.contains(name)) {
                throw new InvalidEventException(where + "unknown field '" + name + "'");
            }
        });
        String id = requiredText(node, "id", where, InputRules.MAX_ID_LENGTH);
        String storeId = requiredText(node, "store", where, InputRules.MAX_KEY_LENGTH);
        StoreProperties store = stores.find(storeId)
                .orElseThrow(() -> new InvalidEventException(where + "unknown store '" + storeId + "'"));
        String storeChannel = StoreProperties.lower(store.channel());
        String channel = optionalText(node, "channel", where, InputRules.MAX_KEY_LENGTH);
        if (channel != null && !channel.equals(storeChannel)) {
            throw new InvalidEventException(
                    where + "store '" + storeId + "' is a " + storeChannel + " store, not " + channel);
        }
        EventType type = parseType(requiredText(node, "type", where, InputRules.MAX_KEY_LENGTH), where);

        KeyKind keyKind = null;
        String keyValue = null;
        for (KeyKind kind : List.of(KeyKind.REF, KeyKind.SKU, KeyKind.BARCODE, KeyKind.HANDLE)) {
            String value = optionalText(node, kind.wireName(), where, InputRules.MAX_KEY_LENGTH);
            if (value != null && !value.isBlank() && keyKind == null) {
                keyKind = kind;
                keyValue = kind.normalize(value);
            }
        }
        if (keyKind == null) {
            throw new InvalidEventException(where + "one of sku, barcode or ref is required");
        }

        long quantity = parseQuantity(node, type, where);
        String orderId = optionalText(node, "orderId", where, InputRules.MAX_ID_LENGTH);
        String lineId = optionalText(node, "lineId", where, InputRules.MAX_ID_LENGTH);
        if (type == EventType.CANCEL && orderId == null) {
            throw new InvalidEventException(where + "a cancel needs the orderId of the sale it cancels");
        }
        String stage = optionalText(node, "stage", where, InputRules.MAX_KEY_LENGTH);
        if (stage != null
                && (type != EventType.SALE || !Set.of("created", "paid").contains(stage))) {
            throw new InvalidEventException(where + "stage must be 'created' or 'paid', and only on a sale");
        }
        String cause = optionalText(node, "cause", where, InputRules.MAX_KEY_LENGTH);
        if (cause != null
                && (type != EventType.RESTOCK || !Set.of("refund", "return").contains(cause))) {
            throw new InvalidEventException(where + "cause must be 'refund' or 'return', and only on a restock");
        }
        Instant occurredAt = null;
        String occurred = optionalText(node, "occurredAt", where, InputRules.MAX_KEY_LENGTH);
        if (occurred != null) {
            try {
                occurredAt = Instant.parse(occurred);
            } catch (DateTimeParseException e) {
                throw new InvalidEventException(where + "occurredAt is not an ISO-8601 instant: " + occurred);
            }
            if (occurredAt.isBefore(EARLIEST) || occurredAt.isAfter(LATEST)) {
                throw new InvalidEventException(where + "occurredAt must be between " + EARLIEST + " and " + LATEST);
            }
        }
        return new CanonicalEvent(
                id,
                storeChannel,
                storeId,
                type,
                keyKind,
                keyValue,
                quantity,
                orderId,
                lineId,
                stage,
                cause,
                occurredAt,
                node.toString());
    }

    private static EventType parseType(String raw, String where) {
        try {
            return EventType.valueOf(raw.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new InvalidEventException(
                    where + "unknown type '" + raw + "'; expected sale, cancel, restock, adjust or set");
        }
    }

    private static long parseQuantity(JsonNode node, EventType type, String where) {
        JsonNode q = node.get("quantity");
        if (q == null || q.isNull()) {
            throw new InvalidEventException(where + "quantity is required");
        }
        if (!q.isIntegralNumber() || !q.canConvertToLong()) {
            throw new InvalidEventException(where + "quantity must be a whole number");
        }
        long quantity = q.asLong();
        // Math.abs(Long.MIN_VALUE) is negative: compare both bounds.
        if (quantity > InputRules.MAX_QUANTITY || quantity < -InputRules.MAX_QUANTITY) {
            throw new InvalidEventException(
                    where + "quantity is out of range (at most " + InputRules.MAX_QUANTITY + " either way)");
        }
        switch (type) {
            case SALE, CANCEL, RESTOCK -> {
                if (quantity <= 0) {
                    throw new InvalidEventException(
                            where + "quantity of a " + type.wireName() + " must be a positive count, got " + quantity);
                }
            }
            case ADJUST -> {
                if (quantity == 0) {
                    throw new InvalidEventException(where + "an adjust needs a non-zero signed quantity");
                }
            }
            case SET -> {
                if (quantity < 0) {
                    throw new InvalidEventException(where + "a set takes the new level, which cannot be negative");
                }
            }
        }
        return quantity;
    }

    private static String requiredText(JsonNode node, String field, String where, int maxLength) {
        String value = optionalText(node, field, where, maxLength);
        if (value == null || value.isBlank()) {
            throw new InvalidEventException(where + field + " is required");
        }
        return value.trim();
    }

    /**
     * A text field, checked against {@link InputRules}. Only a JSON string is text: a number, boolean, array or
     * object where the contract has a string is refused (C1 gives every id as a string; 12 and "12" are not both
     * taken, or the same event could be stored twice under two spellings).
     */
    private static String optionalText(JsonNode node, String field, String where, int maxLength) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual()) {
            throw new InvalidEventException(where + field + " must be a string");
        }
        String text = value.asText();
        String problem = InputRules.idProblem(text, maxLength);
        if (problem != null) {
            throw new InvalidEventException(where + field + " " + problem);
        }
        return text;
    }
}
