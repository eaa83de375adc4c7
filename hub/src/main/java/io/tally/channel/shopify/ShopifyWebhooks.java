package io.tally.channel.shopify;

import static io.tally.channel.webhook.WebhookReceipts.header;

import com.fasterxml.jackson.databind.JsonNode;
import io.tally.catalog.Listing;
import io.tally.catalog.ListingRepository;
import io.tally.channel.webhook.UnknownStoreException;
import io.tally.channel.webhook.WebhookReceipts;
import io.tally.channel.webhook.WebhookSignatureException;
import io.tally.channel.webhook.WebhookSignatures;
import io.tally.event.CanonicalEvent;
import io.tally.event.EventIntake;
import io.tally.event.InboxRepository.PendingEvent;
import io.tally.event.InvalidEventException;
import io.tally.event.Observations;
import java.util.List;
import java.util.Set;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
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
    private final WebhookReceipts receipts;
    private final EventIntake intake;
    private final Observations observations;
    private final ListingRepository listings;
    private final ShopifyReturnReader returns;
    private final ShopifyCatalogReader catalog;

    public ShopifyWebhooks(
            ShopifyStores stores,
            WebhookReceipts receipts,
            EventIntake intake,
            Observations observations,
            ListingRepository listings,
            ShopifyReturnReader returns,
            ShopifyCatalogReader catalog) {
        this.stores = stores;
        this.receipts = receipts;
        this.intake = intake;
        this.observations = observations;
        this.listings = listings;
        this.returns = returns;
        this.catalog = catalog;
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
        byte[] body = WebhookReceipts.body(exchange);
        String signature = header(exchange, "X-Shopify-Hmac-Sha256");
        if (!WebhookSignatures.signedByAny(body, signature, stores.webhookSecrets(store))) {
            receipts.count("shopify", store, "unknown", "bad_signature");
            throw new WebhookSignatureException(
                    signature == null
                            ? "missing X-Shopify-Hmac-Sha256 header"
                            : "X-Shopify-Hmac-Sha256 does not match the body signed with the store's webhook secret");
        }
        String topic = header(exchange, "X-Shopify-Topic");
        if (topic == null) {
            throw new InvalidEventException("missing X-Shopify-Topic header");
        }
        String eventId = header(exchange, "X-Shopify-Event-Id");
        String webhookId = header(exchange, "X-Shopify-Webhook-Id");
        String deliveryKey = eventId != null ? eventId : webhookId;
        if (deliveryKey != null && receipts.alreadyStored(store, deliveryKey)) {
            receipts.count("shopify", store, topic, "duplicate");
            return new Receipt(200, "duplicate delivery", List.of(), store, null);
        }
        Receipt receipt = handle(store, topic, receipts.jsonObject(body));
        if (deliveryKey != null) {
            receipts.stored(store, deliveryKey, webhookId, topic, receipt.outcome());
        }
        receipts.count("shopify", store, topic, "accepted");
        return receipt;
    }

    private Receipt handle(String store, String topic, JsonNode json) {
        List<CanonicalEvent> events = switch (topic) {
            case "orders/create", "orders/updated", "orders/paid" -> ShopifyEventMapper.orderSales(store, topic, json);
            case "orders/cancelled" -> ShopifyEventMapper.cancellation(store, topic, json);
            case "refunds/create" -> ShopifyEventMapper.refundLines(store, topic, json, null);
            default -> null;
        };
        if (events != null) {
            List<PendingEvent> stored = intake.store(events).stored();
            return new Receipt(
                    200,
                    events.isEmpty()
                            ? "nothing to book"
                            : stored.size() + " event(s) stored, " + (events.size() - stored.size()) + " already known",
                    stored,
                    store,
                    null);
        }
        return switch (topic) {
            case "inventory_levels/update" -> level(store, json);
            case "reverse_fulfillment_orders/dispose" -> disposition(store, topic, json);
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

    /**
     * The body names the reverse fulfillment order line items only; what they return, and where each RESTOCKED
     * disposition put its units, is read through the Admin API. An API failure answers 5xx: Shopify delivers again.
     */
    private Receipt disposition(String store, String topic, JsonNode json) {
        String rfoId = ShopifyEventMapper.text(json, "id");
        Set<String> restockedLines = ShopifyEventMapper.restockedLines(json);
        if (rfoId == null || restockedLines.isEmpty()) {
            return new Receipt(200, "nothing to book: no restocked disposition", List.of(), store, null);
        }
        JsonNode rfo = returns.read(store, rfoId);
        if (rfo == null) {
            log.warn(
                    "Shopify store {}: reverse fulfillment order {} of a dispose webhook is unknown to the Admin API",
                    store,
                    rfoId);
            return new Receipt(
                    200, "nothing booked: reverse fulfillment order " + rfoId + " not found", List.of(), store, null);
        }
        ShopifyEventMapper.Dispositions mapped =
                ShopifyEventMapper.disposition(store, topic, restockedLines, rfo, catalog.location(store));
        List<PendingEvent> stored = intake.store(mapped.events()).stored();
        String outcome = mapped.events().isEmpty()
                ? "nothing booked"
                : stored.size() + " restock(s) stored, " + (mapped.events().size() - stored.size()) + " already known";
        if (!mapped.notBooked().isEmpty()) {
            outcome += "; not booked: " + String.join("; ", mapped.notBooked());
        }
        return new Receipt(200, outcome, stored, store, null);
    }

    private Receipt level(String store, JsonNode json) {
        String item = ShopifyEventMapper.text(json, "inventory_item_id");
        String location = ShopifyEventMapper.text(json, "location_id");
        if (item != null && location != null && json.path("available").isNull()) {
            // Shopify's own example payload has "available": null (an untracked item or a level without an available
            // quantity): nothing to observe. 2xx, or Shopify retries for hours and may drop the subscription.
            return new Receipt(
                    200,
                    "nothing booked: available is null for inventory item " + item + " at location " + location,
                    List.of(),
                    store,
                    null);
        }
        if (item == null || location == null || !json.path("available").isIntegralNumber()) {
            throw new InvalidEventException(
                    "inventory_levels/update needs inventory_item_id, location_id and available");
        }
        Listing listing = listings.findByChannelItem(store, ShopifyCatalogReader.gid("InventoryItem", item))
                .orElse(null);
        if (listing == null) {
            // Not a product Tally links (or not imported yet: reconciliation reads its level then).
            return new Receipt(200, "inventory item " + item + " is not linked to a listing", List.of(), store, null);
        }
        if (!ShopifyCatalogReader.gid("Location", location).equals(listing.channelLocation())) {
            return new Receipt(200, "location " + location + " is not the one Tally syncs", List.of(), store, null);
        }
        List<PendingEvent> stored = intake.store(List.of(ShopifyEventMapper.level(store, listing.ref(), json)))
                .stored();
        observations.settle(stored);
        return new Receipt(
                200,
                stored.isEmpty() ? "level already known" : "level observed, judged after the settle window",
                List.of(),
                store,
                null);
    }
}
