package io.tally.channel.shopify;

import io.tally.reconcile.ReconciliationReport;
import io.tally.reconcile.ReconciliationService;
import org.springframework.stereotype.Component;

/**
 * Product webhooks: the product is re-read through the API rather than taken from the body, because a retried
 * webhook carries the product as it was when the event fired, not as it is now.
 */
@Component("shopifyCatalogSync")
public class ShopifyCatalogSync {

    private final ShopifyCatalogReader reader;
    private final ReconciliationService reconciliation;

    public ShopifyCatalogSync(ShopifyCatalogReader reader, ReconciliationService reconciliation) {
        this.reader = reader;
        this.reconciliation = reconciliation;
    }

    public ReconciliationReport syncProduct(String store, String productId) {
        return reconciliation.applyProduct(store, productId, reader.readProduct(store, productId), "products-webhook");
    }
}
