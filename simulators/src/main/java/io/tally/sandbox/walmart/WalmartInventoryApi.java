package io.tally.sandbox.walmart;

import static io.tally.sandbox.walmart.WalmartText.key;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tally.sandbox.walmart.WalmartSimulator.InventoryUpdate;
import io.tally.sandbox.walmart.WalmartStore.Item;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Single-SKU inventory: {@code PUT/GET /v3/inventory?sku=} with {@code {"sku", "quantity": {"unit": "EACH",
 * "amount"}}}. Every update request is recorded with its outcome.
 */
final class WalmartInventoryApi {

    private final WalmartStore store;
    private final WalmartJson json;
    private final List<InventoryUpdate> inventoryUpdates = new ArrayList<>(); // guarded by store.lock

    WalmartInventoryApi(WalmartStore store, WalmartJson json) {
        this.store = store;
        this.json = json;
    }

    List<InventoryUpdate> inventoryUpdates() {
        synchronized (store.lock) {
            return List.copyOf(inventoryUpdates);
        }
    }

    /** Forgets the recorded updates. Caller holds the lock. */
    void clear() {
        inventoryUpdates.clear();
    }

    WalmartReply putInventory(String sellerId, String sku, String body) {
        WalmartReply r = putInventoryOutcome(sellerId, sku, body);
        synchronized (store.lock) {
            Integer amount = r.status() == 200
                    ? ((JsonNode) r.body()).get("quantity").get("amount").intValue()
                    : null;
            inventoryUpdates.add(new InventoryUpdate(store.now(), sellerId, sku, body, r.status(), amount));
        }
        return r;
    }

    private WalmartReply putInventoryOutcome(String sellerId, String sku, String body) {
        if (sku == null || sku.isBlank()) {
            return json.invalidParam("sku", "sku query parameter is required");
        }
        JsonNode req;
        try {
            req = json.mapper.readTree(body);
        } catch (IOException e) {
            return json.invalidParam("body", "Request body is not valid JSON");
        }
        JsonNode qty = req == null ? null : req.get("quantity");
        JsonNode amount = qty == null ? null : qty.get("amount");
        if (req == null || !req.isObject() || qty == null || amount == null) {
            return json.invalidParam("quantity", "quantity.unit and quantity.amount are required");
        }
        if (req.hasNonNull("sku") && !req.get("sku").asText().equals(sku)) {
            return json.invalidParam("sku", "sku in the body does not match the sku parameter");
        }
        if (!"EACH".equals(qty.path("unit").asText())) {
            return json.invalidParam("quantity.unit", "quantity.unit must be EACH");
        }
        if (!amount.isIntegralNumber() || !amount.canConvertToInt() || amount.intValue() < 0) {
            return json.invalidParam("quantity.amount", "quantity.amount must be a whole number of at least 0");
        }
        synchronized (store.lock) {
            Item i = store.items.get(key(sellerId, sku));
            if (i == null) {
                return new WalmartReply(
                        404,
                        json.errors(
                                "CONTENT_NOT_FOUND.GMP_INVENTORY_API",
                                "sku",
                                "Not found",
                                "Item " + sku + " not found"));
            }
            i.quantity = amount.intValue();
            return new WalmartReply(200, inventoryJson(i));
        }
    }

    WalmartReply getInventory(String sellerId, String sku) {
        if (sku == null || sku.isBlank()) {
            return json.invalidParam("sku", "sku query parameter is required");
        }
        synchronized (store.lock) {
            Item i = store.items.get(key(sellerId, sku));
            if (i == null) {
                return new WalmartReply(
                        404,
                        json.errors(
                                "CONTENT_NOT_FOUND.GMP_INVENTORY_API",
                                "sku",
                                "Not found",
                                "Item " + sku + " not found"));
            }
            return new WalmartReply(200, inventoryJson(i));
        }
    }

    /** {@code {"sku", "quantity": {"unit": "EACH", "amount"}}}: inventory.json mirror and update-single-item-inventory. */
    private ObjectNode inventoryJson(Item i) {
        ObjectNode n = json.mapper.createObjectNode();
        n.put("sku", i.sku);
        ObjectNode q = n.putObject("quantity");
        q.put("unit", "EACH");
        q.put("amount", i.quantity);
        return n;
    }
}
