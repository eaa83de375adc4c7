package io.tally.sandbox.shopify;

import static io.tally.sandbox.shopify.ShopifyFetchers.parseGid;

import io.tally.sandbox.shopify.ShopState.LevelState;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The pieces of the inventory mutations' answers ({@link ShopifyInventoryMutations}): the input checks with
 * Shopify's user-error codes and messages, and the {@code InventoryAdjustmentGroup} payload.
 */
final class ShopifyInventoryPayloads {

    /** Reasons Shopify accepts for inventory changes (channels.md §1.4). */
    static final Set<String> REASONS = Set.of(
            "correction",
            "cycle_count_available",
            "damaged",
            "movement_created",
            "movement_updated",
            "movement_received",
            "movement_canceled",
            "other",
            "promotion",
            "quality_control",
            "received",
            "reservation_created",
            "reservation_deleted",
            "reservation_updated",
            "restock",
            "safety_stock",
            "shrinkage");

    private ShopifyInventoryPayloads() {}

    /**
     * An omitted {@code changeFromQuantity}. Shopify's 2026-04 schema (description of
     * {@code InventoryQuantityInput.changeFromQuantity} and {@code InventoryChangeInput.changeFromQuantity}) says
     * "This field is mandatory: you must explicitly pass in a value, even if that value is {@code null}, or the
     * mutation returns an error", but names no error code, and neither user-error enum has one for it. So the
     * simulator answers a user error without a code (the {@code code} field is nullable) rather than invent one.
     */
    static Map<String, Object> changeFromQuantityMissing(List<String> field) {
        return userError(null, field, "changeFromQuantity must be given explicitly, even if its value is null.");
    }

    static void checkReasonAndRef(String reason, String ref, List<Map<String, Object>> errors) {
        if (!REASONS.contains(reason)) {
            errors.add(userError("INVALID_REASON", List.of("input", "reason"), "The specified reason is invalid."));
        }
        if (ref != null && !ref.matches("^[a-zA-Z][a-zA-Z0-9+.-]*://\\S+$")) {
            errors.add(userError(
                    "INVALID_REFERENCE_DOCUMENT",
                    List.of("input", "referenceDocumentUri"),
                    "The specified reference document is invalid."));
        }
    }

    static LevelState resolveLevel(
            Shop shop, Map<String, Object> q, List<String> path, List<Map<String, Object>> errors) {
        Long item = parseGid((String) q.get("inventoryItemId"), "InventoryItem");
        Long loc = parseGid((String) q.get("locationId"), "Location");
        boolean ok = true;
        if (item == null || !shop.variantsByItem.containsKey(item)) {
            errors.add(userError(
                    "INVALID_INVENTORY_ITEM",
                    append(path, "inventoryItemId"),
                    "The specified inventory item could not be found."));
            ok = false;
        }
        if (loc == null || shop.catalog.location(loc) == null) {
            errors.add(userError(
                    "INVALID_LOCATION", append(path, "locationId"), "The specified location could not be found."));
            ok = false;
        }
        if (!ok) {
            return null;
        }
        LevelState level = shop.inventory.level(item, loc);
        if (level == null) {
            errors.add(userError(
                    "ITEM_NOT_STOCKED_AT_LOCATION",
                    append(path, "inventoryItemId"),
                    "The specified inventory item is not stocked at the location."));
        }
        return level;
    }

    static List<String> append(List<String> path, String last) {
        List<String> p = new ArrayList<>(path);
        p.add(last);
        return p;
    }

    static Map<String, Object> change(String name, long delta, LevelState level) {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("name", name);
        c.put("delta", (int) delta);
        c.put("quantityAfterChange", (int) level.available);
        c.put("ledgerDocumentUri", null);
        c.put("item", new ShopifyGraphQl.ItemRef(level.variant));
        c.put("location", level.location);
        return c;
    }

    static Map<String, Object> group(Shop shop, String reason, String ref, List<Map<String, Object>> changes) {
        Map<String, Object> g = new LinkedHashMap<>();
        g.put("id", Shop.gid("InventoryAdjustmentGroup", shop.newId()));
        g.put("createdAt", Instant.now());
        g.put("reason", reason);
        g.put("referenceDocumentUri", ref);
        g.put("changes", changes);
        return g;
    }

    static Map<String, Object> payload(Map<String, Object> group, List<Map<String, Object>> errors) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("inventoryAdjustmentGroup", group);
        p.put("userErrors", errors);
        return p;
    }

    static Map<String, Object> userError(String code, List<String> field, String message) {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("code", code);
        e.put("field", field);
        e.put("message", message);
        return e;
    }
}
