package io.tally.sandbox;

import io.tally.policy.StoreProperties;
import io.tally.sandbox.amazon.AmazonSimulator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.core.env.Environment;

/** The block the sandbox prints at start-up: where everything is, and three sales to try. */
class SandboxBanner {

    private static final String RULE = "=".repeat(100);

    private final SimulatedChannels channels;
    private final Set<SimulatedChannel> connectors;
    private final String hub;
    private final String management;
    private final String token;
    private final String dataDir;

    SandboxBanner(SimulatedChannels channels, Set<SimulatedChannel> connectors, Environment environment) {
        this.channels = channels;
        this.connectors = connectors;
        String port = environment.getProperty("local.server.port", "8080");
        this.hub = "http://localhost:" + port;
        this.management = "http://localhost:"
                + environment.getProperty(
                        "local.management.port", environment.getProperty("management.server.port", port));
        this.token = environment.getProperty("tally.admin-token");
        this.dataDir = environment.getProperty("tally.embedded-db.data-dir");
    }

    String text() {
        StringBuilder b = new StringBuilder("\n").append(RULE).append('\n');
        b.append(
                "Tally sandbox: simulated Shopify, Amazon and Walmart on loopback, seeded with design.md's examples\n");
        line(b, "Hub", hub + "   (admin API under /api, with the token below)");
        line(b, "Status page", hub + "/status/#token=" + token);
        line(
                b,
                "Hawtio console",
                management + "/actuator/hawtio/   (Camel routes and counters; health: " + management
                        + "/actuator/health)");
        line(b, "Admin token", token + "   (header  Authorization: Bearer " + token + ")");
        line(b, "Database", "embedded PostgreSQL, data in " + dataDir + "   (delete it to start over)");
        b.append("\nSimulated channels, merchant side (Tally itself uses their real APIs):\n");
        channels.stores(SimulatedChannel.SHOPIFY)
                .forEach((id, store) -> line(
                        b,
                        "  Shopify",
                        channels.shopify().baseUrl() + "/_sandbox/shopify/" + id + "/products" + describe(id, store)));
        channels.stores(SimulatedChannel.AMAZON)
                .forEach((id, store) -> line(
                        b, "  Amazon", channels.amazon().baseUrl() + "/_sandbox/amazon/orders" + describe(id, store)));
        channels.stores(SimulatedChannel.WALMART)
                .forEach((id, store) -> line(
                        b,
                        "  Walmart",
                        channels.walmart().baseUrl() + "/_sandbox/walmart/orders" + describe(id, store)));
        if (!channels.stores(SimulatedChannel.HTTP).isEmpty()) {
            line(
                    b,
                    "  Generic http",
                    channels.generic().url("/_sandbox/levels") + "   stores "
                            + String.join(
                                    ", ", channels.stores(SimulatedChannel.HTTP).keySet()));
        }
        for (SimulatedChannel marketplace : List.of(SimulatedChannel.AMAZON, SimulatedChannel.WALMART)) {
            if (!channels.stores(marketplace).isEmpty() && !connectors.contains(marketplace)) {
                b.append("  (this build has no ")
                        .append(marketplace.channelName())
                        .append(" connector: that simulator runs, but Tally does not sync it)\n");
            }
        }
        String sku = SandboxExamples.EVERYWHERE_SKU;
        b.append("\nTry it: sell ")
                .append(sku)
                .append(" on one channel, see it everywhere (README: Sandbox walkthrough)\n");
        String json = "-H 'Content-Type: application/json'";
        String shop = saleShop();
        if (shop != null) {
            b.append("  curl -s -X POST ")
                    .append(json)
                    .append(' ')
                    .append(channels.shopify().baseUrl())
                    .append("/_sandbox/shopify/")
                    .append(shop)
                    .append("/orders -d '{\"lines\":[{\"sku\":\"")
                    .append(sku)
                    .append("\",\"quantity\":2}]}'\n");
        }
        channels.stores(SimulatedChannel.AMAZON).values().stream()
                .findFirst()
                .ifPresent(store -> b.append("  curl -s -X POST ")
                        .append(json)
                        .append(' ')
                        .append(channels.amazon().baseUrl())
                        .append("/_sandbox/amazon/orders -d '{")
                        .append(sellerField(store.credentials().get("seller-id"), AmazonSimulator.DEFAULT_SELLER_ID))
                        .append("\"status\":\"Unshipped\",\"lines\":[{\"sku\":\"")
                        .append(sku)
                        .append("\",\"quantity\":1}]}'\n"));
        if (!channels.stores(SimulatedChannel.WALMART).isEmpty()) {
            b.append("  curl -s -X POST ")
                    .append(json)
                    .append(' ')
                    .append(channels.walmart().baseUrl())
                    .append("/_sandbox/walmart/orders -d '{\"lines\":[{\"sku\":\"")
                    .append(sku)
                    .append("\",\"quantity\":1}]}'\n");
        }
        b.append("  curl -s -H 'Authorization: Bearer ")
                .append(token)
                .append("' ")
                .append(hub)
                .append("/api/items/")
                .append(sku)
                .append('\n');
        return b.append(RULE).toString();
    }

    /** A Shopify shop that is not the source, so the sale visibly travels to the source shop too. */
    private String saleShop() {
        Map<String, StoreProperties> shops = channels.stores(SimulatedChannel.SHOPIFY);
        return shops.entrySet().stream()
                .filter(e -> e.getValue().role() != StoreProperties.StoreRole.SOURCE)
                .map(Map.Entry::getKey)
                .findFirst()
                .orElse(shops.keySet().stream().findFirst().orElse(null));
    }

    private static String sellerField(String seller, String defaultSeller) {
        return seller == null || seller.equals(defaultSeller) ? "" : "\"sellerId\":\"" + seller + "\",";
    }

    private static String describe(String id, StoreProperties store) {
        return "   store " + id + " (" + StoreProperties.lower(store.role())
                + (store.safetyStock() > 0 ? ", safety stock " + store.safetyStock() : "") + ")";
    }

    private static void line(StringBuilder b, String label, String value) {
        b.append(String.format("%-16s %s%n", label, value));
    }
}
