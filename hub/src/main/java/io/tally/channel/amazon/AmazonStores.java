package io.tally.channel.amazon;

import io.tally.policy.StoreProperties;
import io.tally.policy.StoreRegistry;
import java.util.List;
import org.springframework.stereotype.Component;

/**
 * The configured Amazon seller stores and what the connector needs of each: the SP-API host ({@code api-url}), the
 * LWA app credentials and refresh token of the seller's authorisation, the seller id and marketplace.
 */
@Component
public class AmazonStores {

    static final String CLIENT_ID = "client-id";
    static final String CLIENT_SECRET = "client-secret";
    static final String REFRESH_TOKEN = "refresh-token";
    static final String SELLER_ID = "seller-id";
    static final String MARKETPLACE_ID = "marketplace-id";
    static final String LWA_URL = "lwa-url";

    private final StoreRegistry stores;
    private final AmazonProperties properties;

    public AmazonStores(StoreRegistry stores, AmazonProperties properties) {
        this.stores = stores;
        this.properties = properties;
    }

    public List<String> ids() {
        return stores.idsOf(AmazonConnector.CHANNEL);
    }

    public StoreProperties store(String storeId) {
        return stores.require(storeId, AmazonConnector.CHANNEL);
    }

    /** SP-API endpoint without a trailing slash, e.g. https://sellingpartnerapi-na.amazon.com. */
    public String apiUrl(String storeId) {
        String url = store(storeId).apiUrl();
        if (url == null || url.isBlank()) {
            throw new IllegalStateException(
                    "tally.stores." + storeId + ".api-url is not set (e.g. https://sellingpartnerapi-na.amazon.com)");
        }
        return trim(url);
    }

    public String lwaTokenUrl(String storeId) {
        String own = store(storeId).credentials().get(LWA_URL);
        return trim(own == null || own.isBlank() ? properties.lwaUrl() : own) + "/auth/o2/token";
    }

    public String sellerId(String storeId) {
        return required(storeId, SELLER_ID);
    }

    public String marketplaceId(String storeId) {
        String own = store(storeId).credentials().get(MARKETPLACE_ID);
        return own == null || own.isBlank() ? properties.marketplaceId() : own.trim();
    }

    String required(String storeId, String key) {
        store(storeId);
        return stores.credential(storeId, key);
    }

    private static String trim(String url) {
        String u = url.trim();
        return u.endsWith("/") ? u.substring(0, u.length() - 1) : u;
    }
}
