package io.tally.channel.walmart;

import com.fasterxml.jackson.databind.JsonNode;
import io.tally.channel.walmart.WalmartApiClient.Operation;
import io.tally.connector.PushCommand;
import io.tally.connector.PushOutcome;
import io.tally.policy.TallyProperties;
import io.tally.push.RejectedPushException;
import io.tally.push.RetryablePushException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangeProperty;
import org.apache.camel.Message;
import org.springframework.stereotype.Component;

/**
 * Writes a listing's target to Walmart with {@code PUT /v3/inventory?sku=} (the listing's ref is the seller SKU):
 * an absolute level at the default ship node, so repeating it is harmless. Walmart has no compare-and-set, so the
 * push is planned without carrying the channel's own order moves over (see {@code PushCommand.selfAdjusting}).
 * A 429 that outlasts the client's wait goes back to the push route with Walmart's replenish time as the
 * redelivery delay, which is why this push takes the message besides the command (and is not a
 * {@link io.tally.connector.ChannelPush}).
 */
@Component("walmartPush")
public class WalmartPush {

    private final WalmartApiClient api;
    private final long maxBackoffMs;

    /** Results are counted and logged for every channel alike, from the route (io.tally.ops.PushMetricsNotifier). */
    public WalmartPush(WalmartApiClient api, TallyProperties properties) {
        this.api = api;
        this.maxBackoffMs = properties.push().maxBackoffMs();
    }

    /** @return confirmed without a channel time: Walmart reports none for the change */
    public PushOutcome push(@ExchangeProperty("pushCommand") PushCommand command, Message message) {
        String sku = command.ref();
        long level = Math.max(0, command.level());
        Map<String, Object> quantity = new LinkedHashMap<>();
        quantity.put("unit", "EACH");
        quantity.put("amount", level);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("sku", sku);
        body.put("quantity", quantity);
        JsonNode answer;
        try {
            answer = api.put(
                    command.store(),
                    Operation.UPDATE_INVENTORY,
                    "/v3/inventory?sku="
                            + URLEncoder.encode(sku, StandardCharsets.UTF_8).replace("+", "%20"),
                    body);
        } catch (WalmartThrottledException e) {
            // Read by Camel's redelivery: come back when Walmart has room again.
            message.setHeader(Exchange.REDELIVERY_DELAY, Math.min(Math.max(e.retryAfterMs(), 100), maxBackoffMs));
            throw e;
        } catch (WalmartNotFoundException e) {
            throw new RejectedPushException("Walmart has no item with SKU '" + sku + "' on store " + command.store()
                    + " (listing ref must be the Walmart seller SKU): " + e.getMessage());
        }
        JsonNode amount = answer.path("quantity").path("amount");
        if (amount.isNumber() && amount.asLong() != level) {
            throw new RetryablePushException("Walmart store " + command.store() + " answered SKU " + sku + " at "
                    + amount.asLong() + " after Tally set " + level);
        }
        return PushOutcome.confirmed();
    }
}
