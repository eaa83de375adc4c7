package io.tally.channel.shopify;

import com.fasterxml.jackson.databind.JsonNode;
import io.tally.catalog.Listing;
import io.tally.policy.StoreProperties;
import io.tally.policy.TallyProperties;
import io.tally.reconcile.ChannelListing;
import io.tally.reconcile.ChannelReader;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.springframework.stereotype.Component;

/**
 * Reads a Shopify store's catalog through the Admin GraphQL API: one listing per variant (ref = the variant's
 * numeric id, as order webhooks name it), with its inventory item, the synced location's available level, and the
 * master and hidden tags of its product.
 */
@Component
public class ShopifyCatalogReader implements ChannelReader {

    // title: ProductVariant.title and Product.title (shopify.dev/docs/api/admin-graphql/latest/objects/ProductVariant,
    // .../objects/Product), read for the status page's names only.
    static final String VARIANT_FIELDS = """
            id sku barcode title
            product { id handle tags title }
            inventoryItem { id inventoryLevel(locationId: $location) { updatedAt quantities(names: ["available"]) { name quantity } } }
            """;

    private static final String VARIANTS = """
            query TallyCatalog($first: Int!, $after: String, $location: ID!) {
              productVariants(first: $first, after: $after) {
                pageInfo { hasNextPage endCursor }
                nodes { %s }
              }
            }
            """.formatted(VARIANT_FIELDS);

    private static final String PRODUCT = """
            query TallyProduct($id: ID!, $location: ID!, $first: Int!, $after: String) {
              product(id: $id) {
                id
                variants(first: $first, after: $after) { pageInfo { hasNextPage endCursor } nodes { %s } }
              }
            }
            """.formatted(VARIANT_FIELDS);

    private static final String LEVEL = """
            query TallyLevel($item: ID!, $location: ID!) {
              inventoryItem(id: $item) { id inventoryLevel(locationId: $location) { updatedAt quantities(names: ["available"]) { name quantity } } }
            }
            """;

    private static final String PRIMARY_LOCATION = "query TallyPrimaryLocation { location { id name } }";
    private static final String LOCATIONS = "query TallyLocations { locations(first: 250) { nodes { id name } } }";

    /** Shopify charges about 5 points per variant row (variant, product, item, level, quantities) plus 2. */
    private static final int POINTS_PER_VARIANT = 5;

    private final ShopifyAdminClient client;
    private final ShopifyStores stores;
    private final TallyProperties properties;

    public ShopifyCatalogReader(ShopifyAdminClient client, ShopifyStores stores, TallyProperties properties) {
        this.client = client;
        this.stores = stores;
        this.properties = properties;
    }

    @Override
    public boolean supports(StoreProperties store) {
        return store.isOn(ShopifyConnector.CHANNEL);
    }

    @Override
    public Snapshot read(String store, List<Listing> known) {
        String location = location(store);
        List<ChannelListing> listings = new ArrayList<>();
        String after = null;
        int pageSize = pageSize();
        do {
            Map<String, Object> variables = new HashMap<>();
            variables.put("first", pageSize);
            variables.put("after", after);
            variables.put("location", location);
            JsonNode page = client.execute(store, VARIANTS, variables, pageSize * POINTS_PER_VARIANT + 2)
                    .path("productVariants");
            for (JsonNode variant : page.path("nodes")) {
                listings.add(toListing(variant, location));
            }
            after = page.path("pageInfo").path("hasNextPage").asBoolean(false)
                    ? page.path("pageInfo").path("endCursor").asText(null)
                    : null;
        } while (after != null);
        return new Snapshot(listings, true);
    }

    /** Rows per page: Shopify refuses a query over 1,000 points, and a row costs about 5. */
    private int pageSize() {
        return Math.max(1, Math.min(190, properties.shopify().catalogPageSize()));
    }

    /** @return the product's variants now; empty when the product no longer exists */
    public List<ChannelListing> readProduct(String store, String productId) {
        String location = location(store);
        int pageSize = pageSize();
        List<ChannelListing> listings = new ArrayList<>();
        String after = null;
        do {
            Map<String, Object> variables = new HashMap<>();
            variables.put("id", gid("Product", productId));
            variables.put("location", location);
            variables.put("first", pageSize);
            variables.put("after", after);
            JsonNode variants = client.execute(store, PRODUCT, variables, pageSize * POINTS_PER_VARIANT + 3)
                    .path("product")
                    .path("variants");
            for (JsonNode variant : variants.path("nodes")) {
                listings.add(toListing(variant, location));
            }
            after = variants.path("pageInfo").path("hasNextPage").asBoolean(false)
                    ? variants.path("pageInfo").path("endCursor").asText(null)
                    : null;
        } while (after != null);
        return listings;
    }

    /** The available level of one inventory item at the store's synced location, and Shopify's time of it. */
    public Level readLevel(String store, String inventoryItem, String location) {
        JsonNode level = client.execute(store, LEVEL, Map.of("item", inventoryItem, "location", location), 4)
                .path("inventoryItem")
                .path("inventoryLevel");
        return new Level(available(level), time(level.path("updatedAt")));
    }

    public record Level(Long available, Instant at) {}

    /**
     * The location Tally syncs: {@code tally.stores.<id>.location} as a GID, a numeric id or a location name, else
     * the store's primary location.
     */
    public String location(String store) {
        String cached = stores.cachedLocation(store);
        if (cached != null) {
            return cached;
        }
        String configured = stores.store(store).location();
        String resolved;
        if (configured == null || configured.isBlank()) {
            resolved = client.execute(store, PRIMARY_LOCATION, Map.of(), 1)
                    .path("location")
                    .path("id")
                    .asText(null);
        } else if (configured.startsWith("gid://")) {
            resolved = configured;
        } else if (configured.chars().allMatch(Character::isDigit)) {
            resolved = gid("Location", configured);
        } else {
            resolved = null;
            for (JsonNode location : client.execute(store, LOCATIONS, Map.of(), 252)
                    .path("locations")
                    .path("nodes")) {
                if (configured.trim().equalsIgnoreCase(location.path("name").asText())) {
                    resolved = location.path("id").asText();
                }
            }
            if (resolved == null) {
                throw new IllegalStateException("store " + store + " has no location named '" + configured + "'");
            }
        }
        if (resolved == null) {
            throw new IllegalStateException("store " + store + ": Shopify returned no primary location");
        }
        stores.rememberLocation(store, resolved);
        return resolved;
    }

    private ChannelListing toListing(JsonNode variant, String location) {
        JsonNode product = variant.path("product");
        boolean master = false;
        boolean hidden = false;
        for (JsonNode tag : product.path("tags")) {
            String t = tag.asText().trim().toLowerCase(Locale.ROOT);
            master |= t.equals(properties.masterTag().trim().toLowerCase(Locale.ROOT));
            hidden |= t.equals(properties.hiddenTag().trim().toLowerCase(Locale.ROOT));
        }
        JsonNode item = variant.path("inventoryItem");
        JsonNode level = item.path("inventoryLevel");
        return new ChannelListing(
                numericId(variant.path("id").asText()),
                blankToNull(variant.path("sku")),
                blankToNull(variant.path("barcode")),
                blankToNull(product.path("handle")),
                master,
                hidden,
                available(level),
                time(level.path("updatedAt")),
                item.path("id").asText(null),
                location,
                numericId(product.path("id").asText()),
                title(product.path("title"), variant.path("title")));
    }

    /**
     * "Product / Variant". A product without options has one variant that Shopify titles "Default Title" (see
     * community.shopify.com/t/default-title-exists/363523; the admin shows no variant name for it): the product's
     * title alone then.
     */
    static String title(JsonNode product, JsonNode variant) {
        String p = blankToNull(product);
        String v = blankToNull(variant);
        if (v == null || v.equals("Default Title")) {
            return p;
        }
        return p == null ? v : p + " / " + v;
    }

    private static Long available(JsonNode level) {
        for (JsonNode quantity : level.path("quantities")) {
            if ("available".equals(quantity.path("name").asText())) {
                return quantity.path("quantity").asLong();
            }
        }
        return null;
    }

    static Instant time(JsonNode node) {
        if (node == null
                || node.isNull()
                || node.isMissingNode()
                || node.asText().isBlank()) {
            return null;
        }
        return OffsetDateTime.parse(node.asText()).toInstant();
    }

    private static String blankToNull(JsonNode node) {
        return node.isNull() || node.isMissingNode() || node.asText().isBlank() ? null : node.asText();
    }

    /** "gid://shopify/ProductVariant/123" → "123" (webhooks use the numeric ids). */
    static String numericId(String gidOrId) {
        if (gidOrId == null) {
            return null;
        }
        int slash = gidOrId.lastIndexOf('/');
        String tail = slash < 0 ? gidOrId : gidOrId.substring(slash + 1);
        int query = tail.indexOf('?');
        return query < 0 ? tail : tail.substring(0, query);
    }

    static String gid(String type, String id) {
        return id.startsWith("gid://") ? id : "gid://shopify/" + type + "/" + id;
    }
}
