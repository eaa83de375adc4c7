package io.tally.channel.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.tally.event.InvalidEventException;
import java.io.IOException;
import java.util.Map;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * What every channel's webhook intake does around its own mapping: reads the body as a JSON object, remembers the
 * deliveries already stored (table {@code webhook_receipt}, by the channel's event id) so a repeat is answered
 * without work, and counts deliveries by outcome (metric {@code tally_webhooks_total}).
 */
@Component
public class WebhookReceipts {

    private static final Logger log = LoggerFactory.getLogger(WebhookReceipts.class);

    private final NamedParameterJdbcTemplate jdbc;
    private final ObjectMapper objectMapper;
    private final MeterRegistry meters;

    public WebhookReceipts(NamedParameterJdbcTemplate jdbc, ObjectMapper objectMapper, MeterRegistry meters) {
        this.jdbc = jdbc;
        this.objectMapper = objectMapper;
        this.meters = meters;
    }

    public boolean alreadyStored(String store, String eventId) {
        return Boolean.TRUE.equals(jdbc.queryForObject(
                "SELECT EXISTS (SELECT 1 FROM webhook_receipt WHERE store = :store AND event_id = :event)",
                Map.of("store", store, "event", eventId),
                Boolean.class));
    }

    /** Once the delivery's events are stored: a repeat of it is then a duplicate. */
    public void stored(String store, String eventId, String webhookId, String topic, String outcome) {
        jdbc.update(
                """
                INSERT INTO webhook_receipt (store, event_id, webhook_id, topic, outcome)
                VALUES (:store, :event, :webhook, :topic, :outcome) ON CONFLICT DO NOTHING
                """,
                new MapSqlParameterSource("store", store)
                        .addValue("event", eventId)
                        .addValue("webhook", webhookId)
                        .addValue("topic", topic)
                        .addValue("outcome", outcome));
    }

    /** @param result accepted, duplicate or bad_signature */
    public void count(String channel, String store, String topic, String result) {
        Counter.builder("tally.webhooks")
                .description("Channel webhook deliveries, by topic and outcome")
                .tags("channel", channel, "store", store, "topic", topic, "result", result)
                .register(meters)
                .increment();
        if ("bad_signature".equals(result)) {
            log.warn("{} webhook for store {} rejected: not authenticated", channel, store);
        }
    }

    /** The raw body, empty when there is none. */
    public static byte[] body(Exchange exchange) {
        byte[] body = exchange.getIn().getBody(byte[].class);
        return body == null ? new byte[0] : body;
    }

    /** @throws InvalidEventException (400) when the body is not a JSON object */
    public JsonNode jsonObject(byte[] body) {
        JsonNode json;
        try {
            // Strict as the events API: nothing after the JSON value, no field given twice.
            json = objectMapper
                    .reader()
                    .with(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                    .with(com.fasterxml.jackson.core.StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                    .readTree(new io.tally.event.StrictUtf8InputStream(new java.io.ByteArrayInputStream(body)));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new InvalidEventException("the body is not JSON: " + e.getOriginalMessage());
        } catch (java.io.CharConversionException e) {
            throw new InvalidEventException("the body is not valid UTF-8");
        } catch (IOException e) {
            throw new InvalidEventException("the body could not be read");
        }
        if (json == null || !json.isObject()) {
            throw new InvalidEventException("the body is not a JSON object");
        }
        return json;
    }

    /** A header's trimmed value, null when missing or blank. */
    public static String header(Exchange exchange, String name) {
        String value = exchange.getIn().getHeader(name, String.class);
        return value == null || value.isBlank() ? null : value.trim();
    }
}
