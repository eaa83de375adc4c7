package io.tally.sandbox.shopify;

import static io.tally.sandbox.shopify.ShopSnapshots.snapshot;

import io.tally.sandbox.shopify.Shop.Location;
import io.tally.sandbox.shopify.Shop.Product;
import io.tally.sandbox.shopify.Shop.Variant;
import io.tally.sandbox.shopify.Shop.VariantSpec;
import io.tally.sandbox.shopify.ShopState.LocationState;
import io.tally.sandbox.shopify.ShopState.ProductState;
import io.tally.sandbox.shopify.ShopState.VariantState;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/** A shop's locations, products and variants (with their inventory items) and the {@code products/*} webhooks. */
final class ShopCatalog {

    private final Shop shop;

    ShopCatalog(Shop shop) {
        this.shop = shop;
    }

    // ------------------------------------------------------------------ locations

    List<Location> locations() {
        synchronized (shop.lock) {
            return shop.locations.stream().map(ShopSnapshots::snapshot).toList();
        }
    }

    Location primaryLocation() {
        synchronized (shop.lock) {
            return snapshot(primary());
        }
    }

    Location addLocation(String locationName) {
        synchronized (shop.lock) {
            LocationState l = new LocationState();
            l.id = shop.newId();
            l.name = locationName;
            shop.locations.add(l);
            for (VariantState v : shop.variants.values()) {
                shop.inventory.newLevel(v, l, 0);
            }
            return snapshot(l);
        }
    }

    // ------------------------------------------------------------------ products and variants

    Product createProduct(String title, String handle, List<String> tags, List<VariantSpec> variantSpecs) {
        synchronized (shop.lock) {
            Instant now = Instant.now();
            ProductState p = new ProductState();
            p.id = shop.newId();
            p.title = title;
            p.handle = handle != null ? handle : title.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-");
            p.tags = tags == null ? new ArrayList<>() : new ArrayList<>(tags);
            p.createdAt = now;
            p.updatedAt = now;
            List<VariantSpec> specs = variantSpecs == null || variantSpecs.isEmpty()
                    ? List.of(new VariantSpec("Default Title", null, null, 0))
                    : variantSpecs;
            for (VariantSpec s : specs) {
                VariantState v = new VariantState();
                v.id = shop.newId();
                v.itemId = shop.newId();
                v.product = p;
                v.title = s.title() == null ? "Default Title" : s.title();
                v.sku = s.sku();
                v.barcode = s.barcode();
                v.updatedAt = now;
                p.variants.add(v);
                shop.variants.put(v.id, v);
                shop.variantsByItem.put(v.itemId, v);
                for (LocationState l : shop.locations) {
                    shop.inventory.newLevel(v, l, l.primary ? s.available() : 0);
                }
            }
            shop.products.put(p.id, p);
            shop.fire("products/create", shop.json.productJson(p));
            return snapshot(p);
        }
    }

    Product updateProduct(long productId, String title, List<String> tags) {
        synchronized (shop.lock) {
            ProductState p = product(productId);
            if (title != null) {
                p.title = title;
            }
            if (tags != null) {
                p.tags = new ArrayList<>(tags);
            }
            p.updatedAt = Instant.now();
            shop.fire("products/update", shop.json.productJson(p));
            return snapshot(p);
        }
    }

    Variant updateVariant(long variantId, String sku, String barcode) {
        synchronized (shop.lock) {
            VariantState v = variant(variantId);
            if (sku != null) {
                v.sku = sku;
            }
            if (barcode != null) {
                v.barcode = barcode;
            }
            v.updatedAt = Instant.now();
            v.product.updatedAt = v.updatedAt;
            shop.fire("products/update", shop.json.productJson(v.product));
            return snapshot(v);
        }
    }

    void deleteProduct(long productId) {
        synchronized (shop.lock) {
            ProductState p = product(productId);
            shop.products.remove(productId);
            for (VariantState v : p.variants) {
                shop.variants.remove(v.id);
                shop.variantsByItem.remove(v.itemId);
                shop.levels.values().removeIf(l -> l.variant == v);
            }
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("id", p.id);
            shop.fire("products/delete", body);
        }
    }

    List<Product> products() {
        synchronized (shop.lock) {
            return shop.products.values().stream().map(ShopSnapshots::snapshot).toList();
        }
    }

    Variant variantSnapshot(String sku) {
        synchronized (shop.lock) {
            return snapshot(variantBySku(sku));
        }
    }

    Variant variantSnapshot(long variantId) {
        synchronized (shop.lock) {
            return snapshot(variant(variantId));
        }
    }

    Variant variantByInventoryItem(long inventoryItemId) {
        synchronized (shop.lock) {
            VariantState v = shop.variantsByItem.get(inventoryItemId);
            if (v == null) {
                throw new IllegalArgumentException("unknown inventory item " + inventoryItemId);
            }
            return snapshot(v);
        }
    }

    // ------------------------------------------------------------------ lookups; callers hold the lock

    LocationState primary() {
        return shop.locations.stream().filter(l -> l.primary).findFirst().orElseThrow();
    }

    LocationState location(long id) {
        return shop.locations.stream().filter(l -> l.id == id).findFirst().orElse(null);
    }

    ProductState product(long id) {
        ProductState p = shop.products.get(id);
        if (p == null) {
            throw new IllegalArgumentException("unknown product " + id);
        }
        return p;
    }

    VariantState variant(long id) {
        VariantState v = shop.variants.get(id);
        if (v == null) {
            throw new IllegalArgumentException("unknown variant " + id);
        }
        return v;
    }

    VariantState variantBySku(String sku) {
        return shop.variants.values().stream()
                .filter(v -> Objects.equals(v.sku, sku))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no variant with sku " + sku));
    }
}
