package io.tally.sandbox.amazon;

import static io.tally.sandbox.amazon.AmazonSimulator.US_MARKETPLACE;
import static io.tally.sandbox.amazon.AmazonText.blank;
import static io.tally.sandbox.amazon.AmazonText.csv;
import static io.tally.sandbox.amazon.AmazonText.key;
import static io.tally.sandbox.amazon.AmazonText.text;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tally.sandbox.amazon.AmazonSimulator.PatchRecord;
import io.tally.sandbox.amazon.AmazonStore.Listing;
import io.tally.sandbox.amazon.AmazonStore.PendingQuantity;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Listings Items API 2021-08-01, the write: {@code patchListingsItem} answers {@code ACCEPTED} and applies the
 * quantity only after the processing delay, because Amazon processes submissions asynchronously. Reads settle
 * lazily by the clock, so there is no background thread. Every request is recorded with its outcome.
 */
final class AmazonListingsPatch {

    /**
     * The {@code includedData} values patchListingsItem accepts (same model: {@code identifiers}, {@code issues};
     * default {@code issues}); {@code identifiers} "can only be requested when mode is VALIDATION_PREVIEW".
     */
    static final Set<String> PATCH_INCLUDED_DATA = Set.of("identifiers", "issues");

    private static final String INVALID_ATTRIBUTE = "INVALID_ATTRIBUTE";
    private static final String MISSING_ATTRIBUTE = "MISSING_ATTRIBUTE";

    private final AmazonStore store;
    private final AmazonJson json;
    private final List<PatchRecord> patches = new ArrayList<>(); // guarded by store.lock
    private Duration processingDelay = Duration.ofMillis(250);

    AmazonListingsPatch(AmazonStore store, AmazonJson json) {
        this.store = store;
        this.json = json;
    }

    void processingDelay(Duration d) {
        synchronized (store.lock) {
            processingDelay = d;
        }
    }

    /** Every patch request received, oldest first. */
    List<PatchRecord> patches() {
        synchronized (store.lock) {
            return List.copyOf(patches);
        }
    }

    /** Forgets the recorded patches. Caller holds the lock. */
    void clear() {
        patches.clear();
    }

    AmazonReply patchListingsItem(String tokenSeller, String sellerId, String sku, Map<String, String> q, String body) {
        AmazonReply r = patchOutcome(tokenSeller, sellerId, sku, q, body);
        synchronized (store.lock) {
            String status = r.body() instanceof ObjectNode n && n.has("status")
                    ? n.get("status").asText()
                    : null;
            Integer qty = r.headers().containsKey("_qty")
                    ? Integer.valueOf(r.headers().get("_qty"))
                    : null;
            patches.add(new PatchRecord(store.now(), sellerId, sku, body, r.status(), status, qty));
        }
        return new AmazonReply(r.status(), r.body());
    }

    private AmazonReply patchOutcome(
            String tokenSeller, String sellerId, String sku, Map<String, String> q, String body) {
        if (!tokenSeller.equals(sellerId)) {
            return json.unauthorized();
        }
        if (blank(q.get("marketplaceIds"))) {
            return json.invalid("marketplaceIds is required.");
        }
        Set<String> included = q.containsKey("includedData") ? csv(q.get("includedData")) : Set.of("issues");
        AmazonReply badIncludedData = json.checkIncludedData(included, PATCH_INCLUDED_DATA);
        if (badIncludedData != null) {
            return badIncludedData;
        }
        if (included.contains("identifiers") && !"VALIDATION_PREVIEW".equals(q.get("mode"))) {
            return json.invalid("includedData 'identifiers' can only be requested when mode is VALIDATION_PREVIEW.");
        }
        JsonNode req;
        try {
            req = json.mapper.readTree(body);
        } catch (IOException e) {
            return json.invalid("Request body is not valid JSON.");
        }
        if (req == null || !req.isObject() || blank(text(req, "productType"))) {
            return json.invalid("productType is required.");
        }
        JsonNode ops = req.get("patches");
        if (ops == null || !ops.isArray() || ops.isEmpty()) {
            return json.invalid("patches must contain at least one patch operation.");
        }
        List<ObjectNode> issues = new ArrayList<>();
        Integer newQty = null;
        Map<String, JsonNode> otherAttributes = new LinkedHashMap<>();
        for (JsonNode p : ops) {
            String op = text(p, "op");
            String path = text(p, "path");
            if (op == null || !Set.of("add", "replace", "merge", "delete").contains(op)) {
                issues.add(issue("4000001", "Unsupported patch operation '" + op + "'.", null, INVALID_ATTRIBUTE));
                continue;
            }
            if (path == null
                    || !path.startsWith("/attributes/")
                    || path.substring(12).isEmpty()
                    || path.substring(12).contains("/")) {
                issues.add(issue(
                        "4000001",
                        "Patch path must be a top-level attribute: '" + path + "'.",
                        null,
                        INVALID_ATTRIBUTE));
                continue;
            }
            String attr = path.substring(12);
            JsonNode value = p.get("value");
            if (!op.equals("delete") && (value == null || !value.isArray() || value.isEmpty())) {
                issues.add(issue("4000001", "Patch value must be a non-empty array.", attr, INVALID_ATTRIBUTE));
                continue;
            }
            if (!attr.equals("fulfillment_availability")) {
                otherAttributes.put(attr, op.equals("delete") ? null : value);
                continue;
            }
            if (op.equals("delete")) {
                issues.add(issue(
                        "4000001",
                        "fulfillment_availability cannot be deleted in this simulator.",
                        attr,
                        INVALID_ATTRIBUTE));
                continue;
            }
            for (JsonNode v : value) {
                String channel = text(v, "fulfillment_channel_code");
                JsonNode quantity = v.get("quantity");
                if (blank(channel)) {
                    issues.add(issue(
                            "90220",
                            "'fulfillment_channel_code' is required but not supplied.",
                            attr,
                            MISSING_ATTRIBUTE));
                } else if (!channel.equals("DEFAULT")) {
                    issues.add(issue(
                            "90220",
                            "Fulfillment channel '" + channel + "' is controlled by Amazon and cannot be set here.",
                            attr,
                            INVALID_ATTRIBUTE));
                } else if (quantity == null
                        || !quantity.canConvertToInt()
                        || !quantity.isIntegralNumber()
                        || quantity.intValue() < 0) {
                    issues.add(issue(
                            "90220", "'quantity' must be a whole number of at least 0.", attr, INVALID_ATTRIBUTE));
                } else {
                    newQty = quantity.intValue();
                }
            }
        }
        synchronized (store.lock) {
            Listing l = store.listings.get(key(sellerId, sku));
            if (l == null) {
                issues.add(issue(
                        "NOT_FOUND", "SKU '" + sku + "' not found in marketplace " + US_MARKETPLACE + ".", null, null));
            }
            ObjectNode out = json.mapper.createObjectNode();
            out.put("sku", sku);
            boolean preview = "VALIDATION_PREVIEW".equals(q.get("mode"));
            out.put("status", !issues.isEmpty() ? "INVALID" : preview ? "VALID" : "ACCEPTED");
            out.put("submissionId", UUID.randomUUID().toString().replace("-", ""));
            ArrayNode is = out.putArray("issues");
            issues.forEach(is::add);
            if (!issues.isEmpty() || preview) {
                return new AmazonReply(200, out);
            }
            store.settle(l);
            if (newQty != null) {
                l.pending.add(new PendingQuantity(store.now().plus(processingDelay), newQty));
                store.settle(l);
            }
            otherAttributes.forEach((k, v) -> {
                if (v == null) {
                    l.attributes.remove(k);
                } else {
                    l.attributes.put(k, v);
                }
            });
            l.productType = text(req, "productType");
            return new AmazonReply(200, out, newQty == null ? Map.of() : Map.of("_qty", newQty.toString()));
        }
    }

    /**
     * A Listings Items {@code Issue} (listingsItems_2021-08-01.json in amzn/selling-partner-api-models at
     * 34dc93fe, definitions.Issue): {@code code}, {@code message}, {@code severity} (ERROR|WARNING|INFO) and
     * {@code categories} are required; {@code attributeNames} optional. {@code category} is one of the model's listed
     * values ({@code INVALID_ATTRIBUTE}, {@code MISSING_ATTRIBUTE}, ...), or null for an issue none of them describes
     * (an unknown SKU): then {@code categories} is empty. The issue codes themselves are the simulator's, except
     * {@code 90220} ("'size' is required but not supplied.", category MISSING_ATTRIBUTE in the model's getListingsItem
     * sandbox example).
     */
    private ObjectNode issue(String code, String message, String attribute, String category) {
        ObjectNode i = json.mapper.createObjectNode();
        i.put("code", code);
        i.put("message", message);
        i.put("severity", "ERROR");
        ArrayNode names = i.putArray("attributeNames");
        if (attribute != null) {
            names.add(attribute);
        }
        ArrayNode categories = i.putArray("categories");
        if (category != null) {
            categories.add(category);
        }
        return i;
    }
}
