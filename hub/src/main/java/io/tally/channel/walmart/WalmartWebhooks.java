package io.tally.channel.walmart;

import static io.tally.channel.webhook.WebhookReceipts.header;

import com.fasterxml.jackson.databind.JsonNode;
import io.tally.channel.webhook.UnknownStoreException;
import io.tally.channel.webhook.WebhookReceipts;
import io.tally.channel.webhook.WebhookSignatureException;
import io.tally.event.CanonicalEvent;
import io.tally.event.EventIntake;
import io.tally.event.InboxRepository.PendingEvent;
import io.tally.event.InvalidEventException;
import java.util.List;
import org.apache.camel.Exchange;
import org.springframework.stereotype.Component;

/**
 * {@code POST /webhooks/walmart/{store}} (contract C3): authenticates the notification with the store's webhook
 * secret ({@link WalmartWebhookAuth}), skips events already stored (Walmart's {@code source.eventId}), maps the order
 * events to canonical events and stores them in the inbox. Only then is Walmart answered 200; anything failing before
 * that answers 5xx so Walmart delivers again (and the orders poller reads the order anyway).
 */
@Component("walmartWebhooks")
public class WalmartWebhooks {

    private final WalmartStores stores;
    private final WebhookReceipts receipts;
    private final EventIntake intake;

    public WalmartWebhooks(WalmartStores stores, WebhookReceipts receipts, EventIntake intake) {
        this.stores = stores;
        this.receipts = receipts;
        this.intake = intake;
    }

    /** What a delivery led to: the answer, and the stored events the ledger may apply now. */
    public record Receipt(int status, String outcome, List<PendingEvent> applyNow) {

        public String responseJson() {
            return "{\"status\":\"ok\",\"outcome\":\""
                    + outcome.replace("\\", "\\\\").replace("\"", "\\\"") + "\"}";
        }
    }

    public Receipt receive(Exchange exchange) {
        String store = exchange.getIn().getHeader("store", String.class);
        if (store == null || !stores.isWalmart(store)) {
            throw new UnknownStoreException("no Walmart store '" + store + "' is configured");
        }
        byte[] body = WebhookReceipts.body(exchange);
        String signature = header(exchange, WalmartWebhookAuth.SIGNATURE_HEADER);
        String authorization = header(exchange, "Authorization");
        List<String> secrets = stores.webhookSecrets(store);
        if (!WalmartWebhookAuth.verify(body, signature, authorization, secrets)) {
            receipts.count("walmart", store, "unknown", "bad_signature");
            throw new WebhookSignatureException(
                    secrets.isEmpty()
                            ? "store '" + store
                                    + "' has no credentials.webhook-secret: its notifications cannot be trusted"
                            : signature != null
                                    ? WalmartWebhookAuth.SIGNATURE_HEADER
                                            + " does not match the body signed with the store's webhook secret"
                                    : authorization != null
                                            ? "the Authorization header does not carry the store's webhook secret"
                                            : "missing " + WalmartWebhookAuth.SIGNATURE_HEADER
                                                    + " or Authorization header");
        }
        JsonNode json = receipts.jsonObject(body);
        String eventType = WalmartJson.text(json.path("source"), "eventType");
        String eventId = WalmartJson.text(json.path("source"), "eventId");
        if (eventType == null || eventId == null) {
            throw new InvalidEventException("a Walmart notification needs source.eventType and source.eventId");
        }
        if (receipts.alreadyStored(store, eventId)) {
            receipts.count("walmart", store, eventType, "duplicate");
            return new Receipt(200, "duplicate delivery", List.of());
        }
        JsonNode payload = json.path("payload");
        if (!payload.isObject()) {
            throw new InvalidEventException(eventType + " without a payload object");
        }
        List<CanonicalEvent> events = WalmartNotifications.events(store, eventType, payload);
        Receipt receipt;
        if (events == null) {
            receipt = new Receipt(200, "event type " + eventType + " is not used by Tally", List.of());
        } else {
            List<PendingEvent> stored = intake.store(events).stored();
            receipt = new Receipt(
                    200,
                    stored.size() + " event(s) stored, " + (events.size() - stored.size()) + " already known",
                    stored);
        }
        receipts.stored(store, eventId, null, eventType, receipt.outcome());
        receipts.count("walmart", store, eventType, "accepted");
        return receipt;
    }
}
