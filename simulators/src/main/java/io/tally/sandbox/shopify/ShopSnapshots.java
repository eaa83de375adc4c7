package io.tally.sandbox.shopify;

import static io.tally.sandbox.shopify.Shop.gid;

import io.tally.sandbox.shopify.Shop.LineItem;
import io.tally.sandbox.shopify.Shop.Location;
import io.tally.sandbox.shopify.Shop.Order;
import io.tally.sandbox.shopify.Shop.Product;
import io.tally.sandbox.shopify.Shop.Refund;
import io.tally.sandbox.shopify.Shop.RefundLine;
import io.tally.sandbox.shopify.Shop.Return;
import io.tally.sandbox.shopify.Shop.ReturnLine;
import io.tally.sandbox.shopify.Shop.Variant;
import io.tally.sandbox.shopify.ShopState.LocationState;
import io.tally.sandbox.shopify.ShopState.OrderState;
import io.tally.sandbox.shopify.ShopState.ProductState;
import io.tally.sandbox.shopify.ShopState.RefundState;
import io.tally.sandbox.shopify.ShopState.ReturnState;
import io.tally.sandbox.shopify.ShopState.VariantState;
import java.util.List;

/** The immutable snapshots {@link Shop}'s public API hands out; callers hold the shop's lock. */
final class ShopSnapshots {

    private ShopSnapshots() {}

    static Location snapshot(LocationState l) {
        return new Location(l.id, gid("Location", l.id), l.name, l.primary);
    }

    static Variant snapshot(VariantState v) {
        return new Variant(
                v.id,
                gid("ProductVariant", v.id),
                v.product.id,
                v.itemId,
                gid("InventoryItem", v.itemId),
                v.title,
                v.sku,
                v.barcode);
    }

    static Product snapshot(ProductState p) {
        return new Product(
                p.id,
                gid("Product", p.id),
                p.title,
                p.handle,
                List.copyOf(p.tags),
                p.variants.stream().map(ShopSnapshots::snapshot).toList());
    }

    static Order snapshot(OrderState o) {
        return new Order(
                o.id,
                gid("Order", o.id),
                o.name,
                o.financialStatus,
                o.cancelledAt,
                o.lines.stream()
                        .map(li -> new LineItem(
                                li.id, li.variant.id, li.productId, li.sku, li.quantity, li.quantity - li.refunded))
                        .toList(),
                o.refunds.stream().map(r -> r.id).toList());
    }

    static Refund snapshot(RefundState r) {
        return new Refund(
                r.id,
                gid("Refund", r.id),
                r.order.id,
                r.returnId,
                r.lines.stream()
                        .map(l -> new RefundLine(l.id, l.line.id, l.locationId, l.quantity, l.restockType))
                        .toList());
    }

    static Return snapshot(ReturnState r) {
        return new Return(
                r.id,
                gid("Return", r.id),
                r.order.id,
                r.rfoId,
                r.lines.stream()
                        .map(l -> new ReturnLine(l.id, l.line.id, l.rfoLineId, l.quantity))
                        .toList());
    }
}
