package io.tally.channel.shopify;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.tally.policy.StoreProperties;
import io.tally.policy.StoreProperties.Channel;
import io.tally.policy.StoreRegistry;
import io.tally.policy.TallyProperties;
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
        List<String> ids = new ArrayList<>();
        properties.stores().forEach((id, store) -> {
            if (store.channel() == Channel.SHOPIFY) {
                ids.add(id);
            }
        });
        return ids;
    }

    public boolean isShopify(String storeId) {
        return stores.find(storeId).map(s -> s.channel() == Channel.SHOPIFY).orElse(false);
    }

    public StoreProperties store(String storeId) {
        StoreProperties store = stores.find(storeId)
                .orElseThrow(() -> new IllegalArgumentException("unknown store '" + storeId + "'"));
        if (store.channel() != Channel.SHOPIFY) {
            throw new IllegalArgumentException("store '" + storeId + "' is not a Shopify store");
        }
        return store;
    }

    public String graphqlUrl(String storeId) {
        String apiUrl = store(storeId).apiUrl();
        if (apiUrl == null || apiUrl.isBlank()) {
            throw new IllegalStateException("tally.stores." + storeId + ".api-url is not set (e.g. https://my-shop.myshopify.com)");
        }
        String base = apiUrl.endsWith("/") ? apiUrl.substring(0, apiUrl.length() - 1) : apiUrl;
        return base + "/admin/api/" + properties.shopify().apiVersion() + "/graphql.json";
    }

    public String accessToken(String storeId) {
        String token = store(storeId).credentials().get(ACCESS_TOKEN);
        if (token == null || token.isBlank()) {
            throw new IllegalStateException("tally.stores." + storeId + ".credentials.access-token is not set");
        }
        return token;
    }

    /** The secrets a webhook of this store may be signed with: the current one, and the previous during a rotation. */
    public List<String> webhookSecrets(String storeId) {
        Map<String, String> credentials = store(storeId).credentials();
        List<String> secrets = new ArrayList<>();
        for (String key : List.of(WEBHOOK_SECRET, PREVIOUS_WEBHOOK_SECRET)) {
            String secret = credentials.get(key);
            if (secret != null && !secret.isBlank()) {
                secrets.add(secret);
            }
        }
        return secrets;
    }

    String cachedLocation(String storeId) {
        return locations.get(storeId);
    }

    void rememberLocation(String storeId, String locationGid) {
        locations.put(storeId, locationGid);
    }
}
