package io.tally.sandbox.shopify;

import static io.tally.sandbox.shopify.ShopRestJson.restTime;

import io.tally.sandbox.shopify.ShopState.LevelState;
import io.tally.sandbox.shopify.ShopState.LocationState;
import io.tally.sandbox.shopify.ShopState.VariantState;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A shop's inventory levels (one per inventory item and location) and the {@code inventory_levels/update} webhook. */
final class ShopInventory {

    private final Shop shop;
    /** Merchant edits armed by {@link #editRightAfterLevel}: item id → {level that triggers, level the merchant sets}. */
    private final Map<Long, long[]> editsAfterLevel = new java.util.HashMap<>();

    ShopInventory(Shop shop) {
        this.shop = shop;
    }

    static String levelKey(long itemId, long locationId) {
        return itemId + "@" + locationId;
    }

    LevelState level(long itemId, long locationId) {
        return shop.levels.get(levelKey(itemId, locationId));
    }

    List<LevelState> levelsOf(VariantState v) {
        return shop.levels.values().stream().filter(l -> l.variant == v).toList();
    }

    void newLevel(VariantState v, LocationState l, long available) {
        LevelState level = new LevelState();
        level.variant = v;
        level.location = l;
        level.available = available;
        level.updatedAt = Instant.now();
        shop.levels.put(levelKey(v.itemId, l.id), level);
    }

    /**
     * Set a level and fire {@code inventory_levels/update}; callers hold the lock. Body: the five fields of
     * Shopify's webhook reference example for this topic (https://shopify.dev/docs/api/webhooks/2025-01, kept as
     * src/test/resources/shopify/inventory-levels-update.json} (where Shopify's own example has {@code "available": null}).
     */
    void changeLevel(LevelState l, long newAvailable) {
        l.available = newAvailable;
        l.updatedAt = Instant.now();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("inventory_item_id", l.variant.itemId);
        body.put("location_id", l.location.id);
        body.put("available", l.available);
        body.put("updated_at", restTime(l.updatedAt));
        body.put("admin_graphql_api_id", l.gid());
        shop.fire("inventory_levels/update", body);
        long[] edit = editsAfterLevel.get(l.variant.itemId);
        if (edit != null && edit[0] == newAvailable) {
            editsAfterLevel.remove(l.variant.itemId);
            changeLevel(l, edit[1]);
        }
    }

    void editRightAfterLevel(long variantId, long level, long merchantLevel) {
        synchronized (shop.lock) {
            editsAfterLevel.put(shop.catalog.variant(variantId).itemId, new long[] {level, merchantLevel});
        }
    }

    long available(long variantId, long locationId) {
        synchronized (shop.lock) {
            LevelState l = shop.levels.get(levelKey(shop.catalog.variant(variantId).itemId, locationId));
            if (l == null) {
                throw new IllegalArgumentException("variant " + variantId + " not stocked at " + locationId);
            }
            return l.available;
        }
    }

    void setAvailable(long variantId, long locationId, long level) {
        synchronized (shop.lock) {
            LevelState l = shop.levels.get(levelKey(shop.catalog.variant(variantId).itemId, locationId));
            if (l == null) {
                throw new IllegalArgumentException("variant " + variantId + " not stocked at " + locationId);
            }
            changeLevel(l, level);
        }
    }
}
