package io.tally.channel.shopify;

import io.tally.policy.StoreProperties;
import io.tally.policy.StoreRegistry;
import io.tally.policy.TallyProperties;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.stereotype.Component;

/**
 * The configured Shopify stores and what the connector needs of each: its Admin API address, access token,
 * webhook secrets and the location Tally syncs (resolved once through the API and remembered).
 */
@Component
public class ShopifyStores {

    static final String ACCESS_TOKEN = "access-token";
    static final String WEBHOOK_SECRET = "webhook-secret";
    /** Shopify may sign with the old secret for up to an hour after a rotation. */
    static final String PREVIOUS_WEBHOOK_SECRET = "previous-webhook-secret";

    private final StoreRegistry stores;
    private final TallyProperties properties;
    private final Map<String, String> locations = new ConcurrentHashMap<>();

    public ShopifyStores(StoreRegistry stores, TallyProperties properties) {
        this.stores = stores;
        this.properties = properties;
    }

    public List<String> ids() {
        return stores.idsOf(ShopifyConnector.CHANNEL);
    }

    public boolean isShopify(String storeId) {
        return stores.isOn(storeId, ShopifyConnector.CHANNEL);
    }

    public StoreProperties store(String storeId) {
        return stores.require(storeId, ShopifyConnector.CHANNEL);
    }

    public String graphqlUrl(String storeId) {
        String apiUrl = store(storeId).apiUrl();
        if (apiUrl == null || apiUrl.isBlank()) {
            throw new IllegalStateException(
                    "tally.stores." + storeId + ".api-url is not set (e.g. https://my-shop.myshopify.com)");
        }
        String base = apiUrl.endsWith("/") ? apiUrl.substring(0, apiUrl.length() - 1) : apiUrl;
        return base + "/admin/api/" + properties.shopify().apiVersion() + "/graphql.json";
    }

    public String accessToken(String storeId) {
        store(storeId);
        return stores.credential(storeId, ACCESS_TOKEN);
    }

    /** The secrets a webhook of this store may be signed with: the current one, and the previous during a rotation. */
    public List<String> webhookSecrets(String storeId) {
        return stores.credentialsSet(storeId, WEBHOOK_SECRET, PREVIOUS_WEBHOOK_SECRET);
    }

    String cachedLocation(String storeId) {
        return locations.get(storeId);
    }

    void rememberLocation(String storeId, String locationGid) {
        locations.put(storeId, locationGid);
    }
}
