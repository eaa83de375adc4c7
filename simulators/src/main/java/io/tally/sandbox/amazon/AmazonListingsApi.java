package io.tally.sandbox.amazon;

import static io.tally.sandbox.amazon.AmazonJson.format;
import static io.tally.sandbox.amazon.AmazonSimulator.US_MARKETPLACE;
import static io.tally.sandbox.amazon.AmazonText.blank;
import static io.tally.sandbox.amazon.AmazonText.csv;
import static io.tally.sandbox.amazon.AmazonText.key;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tally.sandbox.amazon.AmazonStore.Listing;
import java.nio.charset.StandardCharsets;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Listings Items API 2021-08-01, the reads: {@code getListingsItem} and {@code searchListingsItems}. */
final class AmazonListingsApi {

    /**
     * The {@code includedData} values getListingsItem and searchListingsItems accept (listingsItems_2021-08-01.json,
     * amzn/selling-partner-api-models at 34dc93fe: the parameter's items enum; default {@code summaries}).
     */
    static final Set<String> READ_INCLUDED_DATA = Set.of(
            "summaries",
            "attributes",
            "issues",
            "offers",
            "fulfillmentAvailability",
            "procurement",
            "relationships",
            "productTypes");

    private final AmazonStore store;
    private final AmazonJson json;

    AmazonListingsApi(AmazonStore store, AmazonJson json) {
        this.store = store;
        this.json = json;
    }

    AmazonReply getListingsItem(String tokenSeller, String sellerId, String sku, Map<String, String> q) {
        if (!tokenSeller.equals(sellerId)) {
            return json.unauthorized();
        }
        if (blank(q.get("marketplaceIds"))) {
            return json.invalid("marketplaceIds is required.");
        }
        Set<String> included = q.containsKey("includedData") ? csv(q.get("includedData")) : Set.of("summaries");
        AmazonReply badIncludedData = json.checkIncludedData(included, READ_INCLUDED_DATA);
        if (badIncludedData != null) {
            return badIncludedData;
        }
        synchronized (store.lock) {
            Listing l = store.listings.get(key(sellerId, sku));
            if (l == null) {
                return new AmazonReply(
                        404,
                        json.errors("NOT_FOUND", "SKU '" + sku + "' not found in marketplace " + US_MARKETPLACE, ""));
            }
            return new AmazonReply(200, listingJson(l, included));
        }
    }

    /**
     * {@code searchListingsItems} (Listings Items 2021-08-01, GET {@code /listings/2021-08-01/items/{sellerId}}): the
     * seller's listings by SKU, {@code pageSize} 1..20 (default 10) with {@code pagination.nextToken}; Amazon pages
     * through at most 1,000 items, which this simulator does not enforce. Filters other than the page are ignored.
     */
    AmazonReply searchListingsItems(String tokenSeller, String sellerId, Map<String, String> q) {
        if (!tokenSeller.equals(sellerId)) {
            return json.unauthorized();
        }
        if (blank(q.get("marketplaceIds"))) {
            return json.invalid("marketplaceIds is required.");
        }
        int size = 10;
        if (q.containsKey("pageSize")) {
            try {
                size = Integer.parseInt(q.get("pageSize"));
            } catch (NumberFormatException e) {
                size = -1;
            }
            if (size < 1 || size > 20) {
                return json.invalid("pageSize must be between 1 and 20.");
            }
        }
        int from = 0;
        if (q.containsKey("pageToken")) {
            try {
                from = Integer.parseInt(
                        new String(java.util.Base64.getDecoder().decode(q.get("pageToken")), StandardCharsets.UTF_8));
            } catch (IllegalArgumentException e) {
                return json.invalid("Invalid pageToken.");
            }
        }
        Set<String> included = q.containsKey("includedData") ? csv(q.get("includedData")) : Set.of("summaries");
        AmazonReply badIncludedData = json.checkIncludedData(included, READ_INCLUDED_DATA);
        if (badIncludedData != null) {
            return badIncludedData;
        }
        synchronized (store.lock) {
            List<Listing> mine = store.listings.values().stream()
                    .filter(l -> l.sellerId.equals(sellerId))
                    .sorted(Comparator.comparing((Listing l) -> l.sku))
                    .toList();
            ObjectNode root = json.mapper.createObjectNode();
            root.put("numberOfResults", mine.size());
            ArrayNode items = root.putArray("items");
            int to = Math.min(mine.size(), from + size);
            for (int i = from; i < to; i++) {
                items.add(listingJson(mine.get(i), included));
            }
            ObjectNode pagination = root.putObject("pagination");
            if (to < mine.size()) {
                pagination.put(
                        "nextToken",
                        java.util.Base64.getEncoder()
                                .encodeToString(String.valueOf(to).getBytes(StandardCharsets.UTF_8)));
            }
            if (from > 0) {
                pagination.put(
                        "previousToken",
                        java.util.Base64.getEncoder()
                                .encodeToString(
                                        String.valueOf(Math.max(0, from - size)).getBytes(StandardCharsets.UTF_8)));
            }
            return new AmazonReply(200, root);
        }
    }

    /** One listing as getListingsItem / searchListingsItems describe it. Caller holds the lock. */
    private ObjectNode listingJson(Listing l, Set<String> included) {
        store.settle(l);
        ObjectNode root = json.mapper.createObjectNode();
        root.put("sku", l.sku);
        if (included.contains("summaries")) {
            ObjectNode s = root.putArray("summaries").addObject();
            s.put("marketplaceId", US_MARKETPLACE);
            s.put("asin", l.asin);
            s.put("productType", l.productType);
            s.put("conditionType", "new_new");
            s.putArray("status").add("BUYABLE");
            s.put("itemName", l.title);
            s.put("createdDate", format(l.created));
            s.put("lastUpdatedDate", format(l.updated));
        }
        if (included.contains("attributes")) {
            ObjectNode a = root.putObject("attributes");
            l.attributes.forEach(a::set);
            ObjectNode fa = a.putArray("fulfillment_availability").addObject();
            fa.put("fulfillment_channel_code", "DEFAULT");
            fa.put("quantity", l.quantity);
        }
        if (included.contains("issues")) {
            root.putArray("issues");
        }
        if (included.contains("offers")) {
            ObjectNode o = root.putArray("offers").addObject();
            o.put("marketplaceId", US_MARKETPLACE);
            o.put("offerType", "B2C");
            ObjectNode p = o.putObject("price");
            p.put("currencyCode", "USD");
            p.put("amount", l.price.toPlainString());
        }
        if (included.contains("fulfillmentAvailability")) {
            ObjectNode fa = root.putArray("fulfillmentAvailability").addObject();
            fa.put("fulfillmentChannelCode", "DEFAULT");
            fa.put("quantity", l.quantity);
        }
        if (included.contains("relationships")) {
            // ItemRelationshipsByMarketplace {marketplaceId, relationships (required)}: a listing without variations.
            ObjectNode r = root.putArray("relationships").addObject();
            r.put("marketplaceId", US_MARKETPLACE);
            r.putArray("relationships");
        }
        if (included.contains("productTypes")) {
            // ItemProductTypeByMarketplace {marketplaceId, productType} (both required).
            ObjectNode t = root.putArray("productTypes").addObject();
            t.put("marketplaceId", US_MARKETPLACE);
            t.put("productType", l.productType);
        }
        // procurement is vendor (1P) data: a seller's listing has none, so it is left out.
        return root;
    }
}
