package io.tally.channel.shopify;

import java.io.IOException;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.tally.catalog.Listing;
import io.tally.catalog.ListingRepository;
import io.tally.event.CanonicalEvent;
import io.tally.event.EventIntake;
import io.tally.event.InboxRepository.PendingEvent;
import io.tally.event.InvalidEventException;
import io.tally.event.Observations;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * {@code POST /webhooks/shopify/{store}} (contract C3): verifies the signature, skips deliveries already stored,
 * maps the topic to canonical events and stores them in the inbox. Only then is Shopify answered 200; a failure
 * before that answers 5xx so Shopify delivers again.
 */
@Component("shopifyWebhooks")
public class ShopifyWebhooks {

    private static final Logger log = LoggerFactory.getLogger(ShopifyWebhooks.class);

    private final ShopifyStores stores;
    private final ObjectMapper objectMapper;
    private final EventIntake intake;
    private final Observations observations;
    private final ListingRepository listings;
    private final NamedParameterJdbcTemplate jdbc;
    private final MeterRegistry meters;

    public ShopifyWebhooks(ShopifyStores stores, ObjectMapper objectMapper, EventIntake intake,
            Observations observations, ListingRepository listings, NamedParameterJdbcTemplate jdbc,
            MeterRegistry meters) {
        this.stores = stores;
        this.objectMapper = objectMapper;
        this.intake = intake;
        this.observations = observations;
        this.listings = listings;
        this.jdbc = jdbc;
        this.meters = meters;
    }

    /**
     * What a delivery led to.
     *
     * @param applyNow     stored events the ledger may apply at once
     * @param productId    a product whose listings must be re-read (products/* topics), else null
     */
    public record Receipt(int status, String outcome, List<PendingEvent> applyNow, String store, String productId) {

        public String responseJson() {
            return "{\"status\":\"" + (status == 200 ? "ok" : "error") + "\",\"outcome\":\""
                    + outcome.replace("\\", "\\\\").replace("\"", "\\\"") + "\"}";
        }
    }

    public Receipt receive(Exchange exchange) {
        String store = exchange.getIn().getHeader("store", String.class);
        if (store == null || !stores.isShopify(store)) {
            throw new UnknownStoreException("no Shopify store '" + store + "' is configured");
        }
        byte[] body = exchange.getIn().getBody(byte[].class);
        String signature = header(exchange, "X-Shopify-Hmac-Sha256");
        if (!ShopifyWebhookVerifier.verify(body == null ? new byte[0] : body, signature, stores.webhookSecrets(store))) {
            count(store, "unknown", "bad_signature");
            throw new WebhookSignatureException(signature == null ? "missing X-Shopify-Hmac-Sha256 header"
                    : "X-Shopify-Hmac-Sha256 does not match the body signed with the store's webhook secret");
        }
        String topic = header(exchange, "X-Shopify-Topic");
        if (topic == null) {
            throw new InvalidEventException("missing X-Shopify-Topic header");
        }
        String eventId = header(exchange, "X-Shopify-Event-Id");
        String webhookId = header(exchange, "X-Shopify-Webhook-Id");
        String deliveryKey = eventId != null ? eventId : webhookId;
        if (deliveryKey != null && alreadyStored(store, deliveryKey)) {
            count(store, topic, "duplicate");
            return new Receipt(200, "duplicate delivery", List.of(), store, null);
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
        Receipt receipt = handle(store, topic, json);
        if (deliveryKey != null) {
            jdbc.update("""
                    INSERT INTO webhook_receipt (store, event_id, webhook_id, topic, outcome)
                    VALUES (:store, :event, :webhook, :topic, :outcome) ON CONFLICT DO NOTHING
                    """, new MapSqlParameterSource("store", store).addValue("event", deliveryKey)
                    .addValue("webhook", webhookId).addValue("topic", topic).addValue("outcome", receipt.outcome()));
        }
        count(store, topic, "accepted");
        return receipt;
    }

    private Receipt handle(String store, String topic, JsonNode json) {
        List<CanonicalEvent> events = switch (topic) {
            case "orders/create", "orders/updated", "orders/paid" -> ShopifyEventMapper.orderSales(store, topic, json);
            case "orders/cancelled" -> ShopifyEventMapper.cancellation(store, topic, json);
            case "refunds/create" -> ShopifyEventMapper.refundLines(store, topic, json, null);
            case "reverse_fulfillment_orders/dispose" -> ShopifyEventMapper.disposition(store, topic, json);
            default -> null;
        };
        if (events != null) {
            List<PendingEvent> stored = intake.store(events).stored();
            return new Receipt(200, events.isEmpty() ? "nothing to book"
                    : stored.size() + " event(s) stored, " + (events.size() - stored.size()) + " already known",
                    stored, store, null);
        }
        return switch (topic) {
            case "inventory_levels/update" -> level(store, json);
            case "products/create", "products/update", "products/delete" -> {
                String productId = ShopifyEventMapper.text(json, "id");
                if (productId == null) {
                    throw new InvalidEventException(topic + " without a product id");
                }
                yield new Receipt(200, "product " + productId + " queued for re-reading", List.of(), store, productId);
            }
            default -> new Receipt(200, "topic " + topic + " is not used by Tally", List.of(), store, null);
        };
    }

    private Receipt level(String store, JsonNode json) {
        String item = ShopifyEventMapper.text(json, "inventory_item_id");
        String location = ShopifyEventMapper.text(json, "location_id");
        if (item == null || location == null || !json.path("available").isIntegralNumber()) {
            throw new InvalidEventException("inventory_levels/update needs inventory_item_id, location_id and available");
        }
        Listing listing = listings.findByChannelItem(store, ShopifyCatalogReader.gid("InventoryItem", item)).orElse(null);
        if (listing == null) {
            // Not a product Tally links (or not imported yet: reconciliation reads its level then).
            return new Receipt(200, "inventory item " + item + " is not linked to a listing", List.of(), store, null);
        }
        if (!ShopifyCatalogReader.gid("Location", location).equals(listing.channelLocation())) {
            return new Receipt(200, "location " + location + " is not the one Tally syncs", List.of(), store, null);
        }
        List<PendingEvent> stored = intake.store(List.of(ShopifyEventMapper.level(store, listing.ref(), json))).stored();
        observations.settle(stored);
        return new Receipt(200, stored.isEmpty() ? "level already known" : "level observed, judged after the settle window",
                List.of(), store, null);
    }

    private boolean alreadyStored(String store, String deliveryKey) {
        return Boolean.TRUE.equals(jdbc.queryForObject(
                "SELECT EXISTS (SELECT 1 FROM webhook_receipt WHERE store = :store AND event_id = :event)",
                Map.of("store", store, "event", deliveryKey), Boolean.class));
    }

    private static String header(Exchange exchange, String name) {
        String value = exchange.getIn().getHeader(name, String.class);
        return value == null || value.isBlank() ? null : value.trim();
    }

    private void count(String store, String topic, String result) {
        Counter.builder("tally.webhooks")
                .description("Channel webhook deliveries, by topic and outcome")
                .tags("channel", "shopify", "store", store, "topic", topic, "result", result)
                .register(meters).increment();
        if ("bad_signature".equals(result)) {
            log.warn("Shopify webhook for store {} rejected: bad signature", store);
        }
    }

    /** A webhook whose signature does not verify: 401, nothing stored. */
    public static class WebhookSignatureException extends RuntimeException {
        public WebhookSignatureException(String message) {
            super(message);
        }
    }

    /** A webhook for a store Tally does not have: 404. */
    public static class UnknownStoreException extends RuntimeException {
        public UnknownStoreException(String message) {
            super(message);
        }
    }
}
