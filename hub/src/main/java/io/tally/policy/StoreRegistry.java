package io.tally.policy;

import io.tally.connector.ChannelConnector;
import io.tally.connector.ConnectorRegistry;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.stereotype.Component;

/** The configured stores, looked up by id, each with its channel connector's traits. */
@Component
public class StoreRegistry {

    private final Map<String, StoreProperties> stores;

    /** @throws UnknownChannelException when a store names a channel no connector provides */
    public StoreRegistry(TallyProperties properties, ConnectorRegistry connectors) {
        Map<String, StoreProperties> withTraits = new LinkedHashMap<>();
        properties.stores().forEach((id, store) -> {
            ChannelConnector connector = connectors
                    .find(store.channel())
                    .orElseThrow(() -> new UnknownChannelException(id, store.channel(), connectors.channels()));
            withTraits.put(id, store.withTraits(connector.traits()));
        });
        this.stores = Map.copyOf(withTraits);
    }

    public Optional<StoreProperties> find(String storeId) {
        return Optional.ofNullable(storeId).map(stores::get);
    }

    public StoreProperties require(String storeId) {
        return find(storeId).orElseThrow(() -> new IllegalArgumentException("unknown store '" + storeId + "'"));
    }

    public Map<String, StoreProperties> all() {
        return stores;
    }

    /** The ids of the stores on one channel, sorted. */
    public List<String> idsOf(String channel) {
        return stores.entrySet().stream()
                .filter(e -> e.getValue().isOn(channel))
                .map(Map.Entry::getKey)
                .sorted()
                .toList();
    }

    public boolean isOn(String storeId, String channel) {
        return find(storeId).map(s -> s.isOn(channel)).orElse(false);
    }

    /** @throws IllegalArgumentException when the store is unknown or on another channel */
    public StoreProperties require(String storeId, String channel) {
        StoreProperties store = require(storeId);
        if (!store.isOn(channel)) {
            throw new IllegalArgumentException("store '" + storeId + "' is not a " + channel + " store");
        }
        return store;
    }

    /** @throws IllegalStateException naming the missing key, when the credential is not set */
    public String credential(String storeId, String key) {
        String value = require(storeId).credentials().get(key);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException("tally.stores." + storeId + ".credentials." + key + " is not set");
        }
        return value.trim();
    }

    /** The credentials of these keys that are set, in this order (e.g. the current and the previous secret). */
    public List<String> credentialsSet(String storeId, String... keys) {
        Map<String, String> credentials = require(storeId).credentials();
        List<String> values = new ArrayList<>();
        for (String key : keys) {
            String value = credentials.get(key);
            if (value != null && !value.isBlank()) {
                values.add(value);
            }
        }
        return values;
    }
}
