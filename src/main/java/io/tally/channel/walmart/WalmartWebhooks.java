package io.tally.channel.walmart;

import java.io.IOException;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.tally.event.CanonicalEvent;
import io.tally.event.EventIntake;
import io.tally.event.InboxRepository.PendingEvent;
import io.tally.event.InvalidEventException;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * {@code POST /webhooks/walmart/{store}} (contract C3): authenticates the notification with the store's webhook
 * secret ({@link WalmartWebhookAuth}), skips events already stored (Walmart's {@code source.eventId}), maps the order
 * events to canonical events and stores them in the inbox. Only then is Walmart answered 200; anything failing before
 * that answers 5xx so Walmart delivers again (and the orders poller reads the order anyway).
 */
@Component("walmartWebhooks")
public class WalmartWebhooks {

    private static final Logger log = LoggerFactory.getLogger(WalmartWebhooks.class);

    private final WalmartStores stores;
    private final ObjectMapper objectMapper;
    private final EventIntake intake;
    private final NamedParameterJdbcTemplate jdbc;
    private final MeterRegistry meters;

    public WalmartWebhooks(WalmartStores stores, ObjectMapper objectMapper, EventIntake intake,
            NamedParameterJdbcTemplate jdbc, MeterRegistry meters) {
        this.stores = stores;
        this.objectMapper = objectMapper;
        this.intake = intake;
        this.jdbc = jdbc;
        this.meters = meters;
    }

    /** What a delivery led to: the answer, and the stored events the ledger may apply now. */
    public record Receipt(int status, String outcome, List<PendingEvent> applyNow) {

        public String responseJson() {
            return "{\"status\":\"ok\",\"outcome\":\"" + outcome.replace("\\", "\\\\").replace("\"", "\\\"") + "\"}";
        }
    }

    public Receipt receive(Exchange exchange) {
        String store = exchange.getIn().getHeader("store", String.class);
        if (store == null || !stores.isWalmart(store)) {
            throw new UnknownWalmartStoreException("no Walmart store '" + store + "' is configured");
        }
        byte[] body = exchange.getIn().getBody(byte[].class);
        body = body == null ? new byte[0] : body;
        String signature = header(exchange, WalmartWebhookAuth.SIGNATURE_HEADER);
        String authorization = header(exchange, "Authorization");
        List<String> secrets = stores.webhookSecrets(store);
        if (!WalmartWebhookAuth.verify(body, signature, authorization, secrets)) {
            count(store, "unknown", "bad_signature");
            throw new WalmartWebhookAuthException(secrets.isEmpty()
                    ? "store '" + store + "' has no credentials.webhook-secret: its notifications cannot be trusted"
                    : signature != null ? WalmartWebhookAuth.SIGNATURE_HEADER
                            + " does not match the body signed with the store's webhook secret"
                    : authorization != null ? "the Authorization header does not carry the store's webhook secret"
                    : "missing " + WalmartWebhookAuth.SIGNATURE_HEADER + " or Authorization header");
        }
        JsonNode json;
        try {
            json = objectMapper.readTree(body);
        } catch (IOException e) {
            throw new InvalidEventException("the body is not JSON: " + e.getMessage());
        }
        if (json == null || !json.isObject()) {
            throw new InvalidEventException("the body is not a JSON object");
        }
        String eventType = WalmartEventMapper.text(json.path("source"), "eventType");
        String eventId = WalmartEventMapper.text(json.path("source"), "eventId");
        if (eventType == null || eventId == null) {
            throw new InvalidEventException("a Walmart notification needs source.eventType and source.eventId");
        }
        if (alreadyStored(store, eventId)) {
            count(store, eventType, "duplicate");
            return new Receipt(200, "duplicate delivery", List.of());
        }
        JsonNode payload = json.path("payload");
        if (!payload.isObject()) {
            throw new InvalidEventException(eventType + " without a payload object");
        }
        List<CanonicalEvent> events = WalmartEventMapper.notification(store, eventType, payload);
        Receipt receipt;
        if (events == null) {
            receipt = new Receipt(200, "event type " + eventType + " is not used by Tally", List.of());
        } else {
            List<PendingEvent> stored = intake.store(events).stored();
            receipt = new Receipt(200, stored.size() + " event(s) stored, " + (events.size() - stored.size())
                    + " already known", stored);
        }
        jdbc.update("""
                INSERT INTO webhook_receipt (store, event_id, topic, outcome)
                VALUES (:store, :event, :topic, :outcome) ON CONFLICT DO NOTHING
                """, new MapSqlParameterSource("store", store).addValue("event", eventId)
                .addValue("topic", eventType).addValue("outcome", receipt.outcome()));
        count(store, eventType, "accepted");
        return receipt;
    }

    private boolean alreadyStored(String store, String eventId) {
        return Boolean.TRUE.equals(jdbc.queryForObject(
                "SELECT EXISTS (SELECT 1 FROM webhook_receipt WHERE store = :store AND event_id = :event)",
                Map.of("store", store, "event", eventId), Boolean.class));
    }

    private static String header(Exchange exchange, String name) {
        String value = exchange.getIn().getHeader(name, String.class);
        return value == null || value.isBlank() ? null : value.trim();
    }

    private void count(String store, String eventType, String result) {
        Counter.builder("tally.webhooks")
                .description("Channel webhook deliveries, by topic and outcome")
                .tags("channel", "walmart", "store", store, "topic", eventType, "result", result)
                .register(meters).increment();
        if ("bad_signature".equals(result)) {
            log.warn("Walmart notification for store {} rejected: not authenticated", store);
        }
    }

    /** A notification that does not carry the store's secret: 401, nothing stored. */
    public static class WalmartWebhookAuthException extends RuntimeException {
        public WalmartWebhookAuthException(String message) {
            super(message);
        }
    }

    /** A notification for a store Tally does not have (or not a Walmart one): 404. */
    public static class UnknownWalmartStoreException extends RuntimeException {
        public UnknownWalmartStoreException(String message) {
            super(message);
        }
    }
}
