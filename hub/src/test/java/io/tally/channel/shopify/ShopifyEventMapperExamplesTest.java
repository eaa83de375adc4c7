package io.tally.channel.shopify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tally.event.CanonicalEvent;
import io.tally.event.EventType;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The mapper on Shopify's documented example payloads (src/test/resources/shopify/, each naming its page). */
class ShopifyEventMapperExamplesTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void refundExampleBooksNothingForNoRestockAndARestockForAReturnLine() throws Exception {
        JsonNode refund = example("refunds-create.json");
        assertThat(ShopifyEventMapper.refundLines("s", "refunds/create", refund, null))
                .isEmpty(); // no_restock

        ObjectNode returned = (ObjectNode) refund.deepCopy();
        ((ObjectNode) returned.path("refund_line_items").get(0))
                .put("restock_type", "return")
                .put("location_id", 6001);
        List<CanonicalEvent> events = ShopifyEventMapper.refundLines("s", "refunds/create", returned, null);
        assertThat(events).hasSize(1);
        CanonicalEvent restock = events.get(0);
        assertThat(restock.type()).isEqualTo(EventType.RESTOCK);
        assertThat(restock.keyValue()).isEqualTo("808950810");
        assertThat(restock.orderId()).isEqualTo("820982911946");
        assertThat(restock.lineId()).isEqualTo("866550311767");
        assertThat(restock.quantity()).isEqualTo(1);
        assertThat(restock.cause()).isEqualTo("refund");
    }

    @Test
    void disposeExampleNamesOnlyReverseFulfillmentOrderLineItems() throws Exception {
        JsonNode dispose = example("reverse-fulfillment-orders-dispose.json");
        assertThat(ShopifyEventMapper.restockedLines(dispose)).containsExactly("2222222", "2222223");
        assertThat(dispose.path("order_id").isMissingNode()).isTrue();

        // What the Admin API answers for it (ShopifyReturnReader's query), one line restocked elsewhere.
        JsonNode rfo = JSON.readTree("""
                {"id":"gid://shopify/ReverseFulfillmentOrder/11111111","order":{"id":"gid://shopify/Order/5001"},
                 "lineItems":[
                  {"id":"gid://shopify/ReverseFulfillmentOrderLineItem/2222222",
                   "fulfillmentLineItem":{"lineItem":{"id":"gid://shopify/LineItem/9001","variant":{"id":"gid://shopify/ProductVariant/888"}}},
                   "dispositions":[{"id":"gid://shopify/ReverseFulfillmentOrderDisposition/71","type":"RESTOCKED","quantity":1,
                                    "createdAt":"2026-03-03T09:00:00Z","location":{"id":"gid://shopify/Location/3333333"}}]},
                  {"id":"gid://shopify/ReverseFulfillmentOrderLineItem/2222223",
                   "fulfillmentLineItem":{"lineItem":{"id":"gid://shopify/LineItem/9002","variant":{"id":"gid://shopify/ProductVariant/889"}}},
                   "dispositions":[{"id":"gid://shopify/ReverseFulfillmentOrderDisposition/72","type":"RESTOCKED","quantity":1,
                                    "createdAt":"2026-03-03T09:00:00Z","location":{"id":"gid://shopify/Location/4444444"}}]}]}
                """);
        ShopifyEventMapper.Dispositions mapped = ShopifyEventMapper.disposition(
                "s",
                "reverse_fulfillment_orders/dispose",
                ShopifyEventMapper.restockedLines(dispose),
                rfo,
                "gid://shopify/Location/3333333");
        assertThat(mapped.events()).singleElement().satisfies(e -> {
            assertThat(e.id()).isEqualTo("disposition/71");
            assertThat(e.keyValue()).isEqualTo("888");
            assertThat(e.orderId()).isEqualTo("5001");
            assertThat(e.lineId()).isEqualTo("9001");
            assertThat(e.cause()).isEqualTo("return");
        });
        assertThat(mapped.notBooked())
                .singleElement()
                .asString()
                .contains("disposition 72")
                .contains("gid://shopify/Location/4444444");

        // The webhook names a line the API does not show yet: refused, so Shopify delivers again.
        assertThatThrownBy(() -> ShopifyEventMapper.disposition(
                        "s",
                        "reverse_fulfillment_orders/dispose",
                        Set.of("2222224"),
                        rfo,
                        "gid://shopify/Location/3333333"))
                .hasMessageContaining("2222224");
    }

    static JsonNode example(String name) throws Exception {
        try (InputStream in = ShopifyEventMapperExamplesTest.class.getResourceAsStream("/shopify/" + name)) {
            return JSON.readTree(new String(in.readAllBytes(), StandardCharsets.UTF_8)
                    .lines()
                    .filter(line -> !line.startsWith("//"))
                    .collect(Collectors.joining("\n")));
        }
    }
}
