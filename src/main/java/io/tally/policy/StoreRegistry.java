package io.tally.policy;

import java.util.Map;
import java.util.Optional;

import org.springframework.stereotype.Component;

/** The configured stores, looked up by id. */
@Component
public class StoreRegistry {

    private final Map<String, StoreProperties> stores;

    public StoreRegistry(TallyProperties properties) {
        this.stores = Map.copyOf(properties.stores());
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
}
