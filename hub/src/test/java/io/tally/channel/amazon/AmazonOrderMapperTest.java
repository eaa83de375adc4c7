package io.tally.channel.amazon;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tally.channel.amazon.AmazonOrderMapper.Item;
import io.tally.channel.amazon.AmazonOrderMapper.Mapped;
import io.tally.event.CanonicalEvent;
import io.tally.event.EventType;
import io.tally.policy.StoreProperties.BookOn;
import java.util.List;
import org.junit.jupiter.api.Test;

class AmazonOrderMapperTest {

    private static final List<Item> ITEMS = List.of(new Item("111", "MUG-BLUE", 2), new Item("112", "TEA", 1));

    private static JsonNode order(String status) throws Exception {
        return new ObjectMapper()
                .readTree("{\"AmazonOrderId\":\"113-1234567-1234567\",\"OrderStatus\":\"" + status
                        + "\",\"PurchaseDate\":\"2026-03-01T15:00:00Z\",\"LastUpdateDate\":\"2026-03-01T15:05:00Z\"}");
    }

    @Test
    void pendingIsTheCreatedStageAndUnshippedAddsPaid() throws Exception {
        Mapped pending = AmazonOrderMapper.map("s", BookOn.PAID, order("Pending"), ITEMS, null);
        assertThat(pending.events())
                .extracting(CanonicalEvent::id)
                .containsExactly(
                        "order/113-1234567-1234567/item/111/created", "order/113-1234567-1234567/item/112/created");
        assertThat(pending.saleStage()).isEqualTo("created");
        assertThat(pending.events().get(0).keyValue()).isEqualTo("MUG-BLUE");
        assertThat(pending.events().get(0).quantity()).isEqualTo(2);
        assertThat(pending.events().get(0).lineId()).isEqualTo("111");

        Mapped unshipped = AmazonOrderMapper.map("s", BookOn.PAID, order("Unshipped"), ITEMS, "created");
        assertThat(unshipped.events())
                .extracting(CanonicalEvent::stage)
                .containsExactly("created", "paid", "created", "paid");
        assertThat(unshipped.saleStage()).isEqualTo("paid");
        // A later status keeps the furthest stage.
        assertThat(AmazonOrderMapper.map("s", BookOn.PAID, order("Pending"), ITEMS, "paid")
                        .saleStage())
                .isEqualTo("paid");
    }

    @Test
    void aCancelReleasesOnlyWhenTheStoresBookingStageWasAnnounced() throws Exception {
        Mapped afterPaid = AmazonOrderMapper.map("s", BookOn.PAID, order("Canceled"), ITEMS, "paid");
        assertThat(afterPaid.events()).allSatisfy(e -> {
            assertThat(e.type()).isEqualTo(EventType.CANCEL);
            assertThat(e.cause()).isNull();
        });
        assertThat(afterPaid.events().get(0).id()).isEqualTo("order/113-1234567-1234567/item/111/cancel");

        assertThat(AmazonOrderMapper.map("s", BookOn.PAID, order("Canceled"), ITEMS, "created")
                        .events())
                .allSatisfy(e -> assertThat(e.cause()).isEqualTo(CanonicalEvent.CAUSE_UNBOOKED));
        assertThat(AmazonOrderMapper.map("s", BookOn.CREATED, order("Canceled"), ITEMS, "created")
                        .events())
                .allSatisfy(e -> assertThat(e.cause()).isNull());
        assertThat(AmazonOrderMapper.map("s", BookOn.CREATED, order("Canceled"), ITEMS, null)
                        .events())
                .allSatisfy(e -> assertThat(e.cause()).isEqualTo(CanonicalEvent.CAUSE_UNBOOKED));
    }

    @Test
    void statusesTallyDoesNotBookAndEmptyLinesGiveNoEvents() throws Exception {
        assertThat(AmazonOrderMapper.isKnownStatus("Unfulfillable")).isFalse();
        assertThat(AmazonOrderMapper.map("s", BookOn.PAID, order("Shipped"), List.of(new Item("9", "X", 0)), null)
                        .events())
                .isEmpty();
    }

    // ------------------------------------------------------------------ documented payloads (fixtures)

    /** Fixtures start with a {@code //} header naming the model file and example they come from. */
    private static JsonNode fixture(String name) throws Exception {
        try (var in = AmazonOrderMapperTest.class.getResourceAsStream("/amazon/" + name)) {
            return new ObjectMapper()
                    .enable(com.fasterxml.jackson.core.JsonParser.Feature.ALLOW_COMMENTS)
                    .readTree(in);
        }
    }

    @Test
    void theModelsGetOrdersAndGetOrderItemsExamplesBookAnUnshippedOrderAtBothStages() throws Exception {
        JsonNode orders = fixture("get-orders.json").path("payload").path("Orders");
        List<Item> items = new java.util.ArrayList<>();
        fixture("get-order-items.json")
                .path("payload")
                .path("OrderItems")
                .forEach(i -> items.add(AmazonOrderMapper.item(i)));
        assertThat(items).containsExactly(new Item("05015851154158", "AMZ-CARD-BOOK", 1));

        JsonNode order = orders.get(0);
        assertThat(AmazonOrderMapper.isKnownStatus(order.path("OrderStatus").asText()))
                .isTrue();
        Mapped mapped = AmazonOrderMapper.map("s", BookOn.PAID, order, items, null);
        assertThat(mapped.events())
                .extracting(
                        CanonicalEvent::id, CanonicalEvent::type, CanonicalEvent::keyValue, CanonicalEvent::quantity)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(
                                "order/113-0000000-0000001/item/05015851154158/created",
                                EventType.SALE,
                                "AMZ-CARD-BOOK",
                                1L),
                        org.assertj.core.groups.Tuple.tuple(
                                "order/113-0000000-0000001/item/05015851154158/paid",
                                EventType.SALE,
                                "AMZ-CARD-BOOK",
                                1L));
        assertThat(mapped.events().get(0).occurredAt()).isEqualTo(java.time.Instant.parse("1970-01-19T03:58:30Z"));
        assertThat(mapped.saleStage()).isEqualTo("paid");

        // The same documented order once Canceled releases what was booked.
        ((com.fasterxml.jackson.databind.node.ObjectNode) order).put("OrderStatus", "Canceled");
        assertThat(AmazonOrderMapper.map("s", BookOn.PAID, order, items, "paid").events())
                .extracting(CanonicalEvent::id, CanonicalEvent::type, CanonicalEvent::cause)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(
                        "order/113-0000000-0000001/item/05015851154158/cancel", EventType.CANCEL, null));
    }

    @Test
    void anOrderItemWithoutSellerSkuIsNotBooked() throws Exception {
        JsonNode item = fixture("get-order-items.json")
                .path("payload")
                .path("OrderItems")
                .get(0);
        ((com.fasterxml.jackson.databind.node.ObjectNode) item).remove("SellerSKU");
        assertThat(AmazonOrderMapper.item(item)).isNull();
    }
}
