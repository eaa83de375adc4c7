package io.tally.sandbox.shopify;

import static io.tally.sandbox.shopify.Shop.gid;

import io.tally.sandbox.shopify.ShopState.LineState;
import io.tally.sandbox.shopify.ShopState.OrderState;
import io.tally.sandbox.shopify.ShopState.ProductState;
import io.tally.sandbox.shopify.ShopState.RefundLineState;
import io.tally.sandbox.shopify.ShopState.RefundState;
import io.tally.sandbox.shopify.ShopState.VariantState;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The REST-shaped, snake_case JSON of a shop's objects, as its webhooks carry them; callers hold the shop's lock. */
final class ShopRestJson {

    static final DateTimeFormatter REST_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ssxxx");

    private final Shop shop;

    ShopRestJson(Shop shop) {
        this.shop = shop;
    }

    static String restTime(Instant t) {
        return t == null
                ? null
                : OffsetDateTime.ofInstant(t.truncatedTo(ChronoUnit.SECONDS), ZoneOffset.UTC)
                        .format(REST_TIME);
    }

    Map<String, Object> productJson(ProductState p) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", p.id);
        m.put("admin_graphql_api_id", gid("Product", p.id));
        m.put("title", p.title);
        m.put("handle", p.handle);
        m.put("status", p.status.toLowerCase(Locale.ROOT));
        m.put("tags", String.join(", ", p.tags));
        m.put("created_at", restTime(p.createdAt));
        m.put("updated_at", restTime(p.updatedAt));
        List<Object> vs = new ArrayList<>();
        for (VariantState v : p.variants) {
            Map<String, Object> vm = new LinkedHashMap<>();
            vm.put("id", v.id);
            vm.put("admin_graphql_api_id", gid("ProductVariant", v.id));
            vm.put("product_id", p.id);
            vm.put("title", v.title);
            vm.put("sku", v.sku);
            vm.put("barcode", v.barcode);
            vm.put("price", v.price);
            vm.put("inventory_item_id", v.itemId);
            vm.put(
                    "inventory_quantity",
                    shop.inventory.levelsOf(v).stream()
                            .mapToLong(l -> l.available)
                            .sum());
            vm.put("updated_at", restTime(v.updatedAt));
            vs.add(vm);
        }
        m.put("variants", vs);
        return m;
    }

    /** The {@code orders/*} body, a subset of Shopify's webhook reference example for this topic (https://shopify.dev/docs/api/webhooks/2025-01, kept as
     * src/test/resources/shopify/orders-create.json}. */
    Map<String, Object> orderJson(OrderState o) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", o.id);
        m.put("admin_graphql_api_id", gid("Order", o.id));
        m.put("name", o.name);
        m.put("order_number", Integer.parseInt(o.name.substring(1)));
        m.put("created_at", restTime(o.createdAt));
        m.put("updated_at", restTime(o.updatedAt));
        m.put("cancelled_at", restTime(o.cancelledAt));
        m.put("cancel_reason", o.cancelReason);
        m.put("financial_status", o.financialStatus);
        m.put("fulfillment_status", null);
        m.put("currency", "USD");
        List<Object> lines = new ArrayList<>();
        for (LineState li : o.lines) {
            Map<String, Object> lm = new LinkedHashMap<>();
            lm.put("id", li.id);
            lm.put("admin_graphql_api_id", gid("LineItem", li.id));
            lm.put("variant_id", li.variant.id);
            lm.put("product_id", li.productId);
            lm.put("sku", li.sku);
            lm.put("title", li.title);
            lm.put("variant_title", li.variantTitle);
            lm.put("quantity", li.quantity);
            lm.put("current_quantity", li.quantity - li.refunded);
            lm.put("fulfillable_quantity", o.cancelledAt != null ? 0 : li.quantity - li.refunded);
            lm.put("price", li.price);
            lines.add(lm);
        }
        m.put("line_items", lines);
        m.put("refunds", o.refunds.stream().map(this::refundJson).toList());
        return m;
    }

    /** {@code {"shop_money": {"amount": "199.00", "currency_code": "USD"}, "presentment_money": {...}}}. */
    private static Map<String, Object> moneySet(java.math.BigDecimal amount) {
        Map<String, Object> money = new LinkedHashMap<>();
        money.put("amount", amount.setScale(2, java.math.RoundingMode.HALF_UP).toPlainString());
        money.put("currency_code", "USD");
        return Map.of("shop_money", money, "presentment_money", money);
    }

    /**
     * The {@code refunds/create} body (and the refunds inside order bodies). Shape: Shopify's webhook reference example for this topic (https://shopify.dev/docs/api/webhooks/2025-01, kept as
     * src/test/resources/shopify/refunds-create.json}; fields not
     * listed there are not sent.
     */
    Map<String, Object> refundJson(RefundState r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", r.id);
        m.put("admin_graphql_api_id", gid("Refund", r.id));
        m.put("order_id", r.order.id);
        m.put("created_at", restTime(r.createdAt));
        m.put("restock", r.lines.stream().anyMatch(l -> !"no_restock".equals(l.restockType)));
        if (r.returnId != null) {
            Map<String, Object> ret = new LinkedHashMap<>();
            ret.put("id", r.returnId);
            ret.put("admin_graphql_api_id", gid("Return", r.returnId));
            m.put("return", ret);
        } else {
            m.put("return", null);
        }
        List<Object> lines = new ArrayList<>();
        for (RefundLineState rl : r.lines) {
            Map<String, Object> lm = new LinkedHashMap<>();
            lm.put("id", rl.id);
            lm.put("line_item_id", rl.line.id);
            lm.put("location_id", rl.locationId);
            lm.put("quantity", rl.quantity);
            lm.put("restock_type", rl.restockType);
            // Numbers, as in Shopify's example ("subtotal": 199, "total_tax": 0); the *_set twins carry strings.
            java.math.BigDecimal subtotal =
                    new java.math.BigDecimal(rl.line.price).multiply(java.math.BigDecimal.valueOf(rl.quantity));
            lm.put("subtotal", subtotal);
            lm.put("subtotal_set", moneySet(subtotal));
            lm.put("total_tax", java.math.BigDecimal.ZERO);
            lm.put("total_tax_set", moneySet(java.math.BigDecimal.ZERO));
            Map<String, Object> li = new LinkedHashMap<>();
            li.put("id", rl.line.id);
            li.put("variant_id", rl.line.variant.id);
            li.put("product_id", rl.line.productId);
            li.put("sku", rl.line.sku);
            li.put("title", rl.line.title);
            li.put("quantity", rl.line.quantity);
            lm.put("line_item", li);
            lines.add(lm);
        }
        m.put("refund_line_items", lines);
        m.put("transactions", List.of());
        return m;
    }
}
