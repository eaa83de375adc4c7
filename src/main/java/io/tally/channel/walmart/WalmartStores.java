package io.tally.channel.walmart;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.tally.policy.StoreProperties;
import io.tally.policy.StoreProperties.Channel;
import io.tally.policy.StoreRegistry;
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
        List<String> ids = new ArrayList<>();
        stores.all().forEach((id, store) -> {
            if (store.channel() == Channel.WALMART) {
                ids.add(id);
            }
        });
        ids.sort(null);
        return ids;
    }

    public boolean isWalmart(String storeId) {
        return stores.find(storeId).map(s -> s.channel() == Channel.WALMART).orElse(false);
    }

    public StoreProperties store(String storeId) {
        StoreProperties store = stores.find(storeId)
                .orElseThrow(() -> new IllegalArgumentException("unknown store '" + storeId + "'"));
        if (store.channel() != Channel.WALMART) {
            throw new IllegalArgumentException("store '" + storeId + "' is not a Walmart store");
        }
        return store;
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

    private String required(String storeId, String key) {
        String value = store(storeId).credentials().get(key);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException("tally.stores." + storeId + ".credentials." + key + " is not set");
        }
        return value;
    }
}
