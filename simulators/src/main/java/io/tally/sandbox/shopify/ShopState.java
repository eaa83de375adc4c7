package io.tally.sandbox.shopify;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The mutable state of a {@link Shop}, one class per Shopify object. Every field is guarded by the shop's
 * {@code lock}; the GraphQL fetchers read these objects directly (under that lock), the public API only hands out
 * {@link Shop}'s immutable snapshots.
 */
final class ShopState {

    private ShopState() {}

    static final class LocationState {
        long id;
        String name;
        boolean primary;
        boolean active = true;
    }

    static final class ProductState {
        long id;
        String title;
        String handle;
        String status = "ACTIVE";
        List<String> tags = new ArrayList<>();
        final List<VariantState> variants = new ArrayList<>();
        Instant createdAt;
        Instant updatedAt;
    }

    static final class VariantState {
        long id;
        long itemId;
        ProductState product;
        String title;
        String sku;
        String barcode;
        String price = "10.00";
        boolean tracked = true;
        Instant updatedAt;
    }

    static final class LevelState {
        VariantState variant;
        LocationState location;
        long available;
        Instant updatedAt;

        String gid() {
            return "gid://shopify/InventoryLevel/" + location.id + "?inventory_item_id=" + variant.itemId;
        }
    }

    static final class LineState {
        long id;
        VariantState variant;
        long productId;
        String sku;
        String title;
        String variantTitle;
        String price;
        int quantity;
        int refunded;
    }

    static final class OrderState {
        long id;
        String name;
        Instant createdAt;
        Instant updatedAt;
        Instant cancelledAt;
        String cancelReason;
        String financialStatus;
        final List<LineState> lines = new ArrayList<>();
        final List<RefundState> refunds = new ArrayList<>();
    }

    static final class RefundLineState {
        long id;
        LineState line;
        Long locationId;
        int quantity;
        String restockType;
    }

    static final class RefundState {
        long id;
        OrderState order;
        Instant createdAt;
        Long returnId;
        final List<RefundLineState> lines = new ArrayList<>();
    }

    static final class ReturnLineState {
        long id;
        long rfoLineId;
        /** The FulfillmentLineItem the reverse fulfillment order line item points at. */
        long fulfillmentLineId;

        LineState line;
        int quantity;
        int disposed;
        final List<DispositionState> dispositions = new ArrayList<>();
    }

    /** A ReverseFulfillmentOrderDisposition: its type, units and the location (null unless restocked). */
    static final class DispositionState {
        long id;
        String type;
        int quantity;
        LocationState location;
        Instant createdAt;
    }

    static final class ReturnState {
        long id;
        long rfoId;
        OrderState order;
        String status = "requested";
        final List<ReturnLineState> lines = new ArrayList<>();
    }

    /** A stored {@code @idempotent} result: the mutation field and its arguments as canonical JSON. */
    record IdempotentEntry(String field, String arguments, Object payload) {}
}
