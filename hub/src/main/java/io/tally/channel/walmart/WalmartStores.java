package io.tally.channel.walmart;

import io.tally.policy.StoreProperties;
import io.tally.policy.StoreRegistry;
import java.util.List;
import org.springframework.stereotype.Component;

/** The configured Walmart stores and their API address and secrets ({@code tally.stores.<id>.credentials.*}). */
@Component
public class WalmartStores {

    static final String CLIENT_ID = "client-id";
    static final String CLIENT_SECRET = "client-secret";
    static final String WEBHOOK_SECRET = "webhook-secret";
    /** Accepted as well while a webhook secret is being rotated. */
    static final String PREVIOUS_WEBHOOK_SECRET = "previous-webhook-secret";

    static final String DEFAULT_API_URL = "https://marketplace.walmartapis.com";

    private final StoreRegistry stores;

    public WalmartStores(StoreRegistry stores) {
        this.stores = stores;
    }

    public List<String> ids() {
        return stores.idsOf(WalmartConnector.CHANNEL);
    }

    public boolean isWalmart(String storeId) {
        return stores.isOn(storeId, WalmartConnector.CHANNEL);
    }

    public StoreProperties store(String storeId) {
        return stores.require(storeId, WalmartConnector.CHANNEL);
    }

    /** The API base without a trailing slash; Walmart's production host when api-url is not set. */
    public String apiBase(String storeId) {
        String apiUrl = store(storeId).apiUrl();
        String base = apiUrl == null || apiUrl.isBlank() ? DEFAULT_API_URL : apiUrl.trim();
        return base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
    }

    public String clientId(String storeId) {
        return required(storeId, CLIENT_ID);
    }

    public String clientSecret(String storeId) {
        return required(storeId, CLIENT_SECRET);
    }

    /** The secrets a webhook of this store may be authenticated with: the current one, and the previous one. */
    public List<String> webhookSecrets(String storeId) {
        return stores.credentialsSet(storeId, WEBHOOK_SECRET, PREVIOUS_WEBHOOK_SECRET);
    }

    private String required(String storeId, String key) {
        store(storeId);
        return stores.credential(storeId, key);
    }
}
