package io.tally.channel.walmart;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tally.event.CanonicalEvent;
import io.tally.event.EventType;
import io.tally.event.InvalidEventException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Walmart order JSON → canonical events: business-key ids shared by the poller and the notifications. */
class WalmartEventMapperTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** Fixtures start with a {@code //} header naming the page they follow. */
    private static final ObjectMapper FIXTURES =
            new ObjectMapper().enable(com.fasterxml.jackson.core.JsonParser.Feature.ALLOW_COMMENTS);

    static JsonNode fixture(String name) throws Exception {
        try (var in = WalmartEventMapperTest.class.getResourceAsStream("/walmart/" + name)) {
            return FIXTURES.readTree(in);
        }
    }

    private static List<CanonicalEvent> notification(JsonNode delivery) {
        return WalmartNotifications.events(
                "wm", delivery.path("source").path("eventType").asText(), delivery.path("payload"));
    }

    private static JsonNode order(String statuses) throws Exception {
        return JSON.readTree("""
                {"purchaseOrderId":"1796277083022","orderDate":1772377200000,
                 "orderLines":{"orderLine":[{"lineNumber":"1","item":{"sku":"MUG-BLUE"},
                   "orderLineQuantity":{"unitOfMeasurement":"EACH","amount":"3"},"statusDate":1772377260000,
                   "orderLineStatuses":{"orderLineStatus":[%s]}}]}}
                """.formatted(statuses));
    }

    private static String status(String name, String amount) {
        return "{\"status\":\"" + name + "\",\"statusQuantity\":{\"unitOfMeasurement\":\"EACH\",\"amount\":\"" + amount
                + "\"}}";
    }

    private static List<CanonicalEvent> events(JsonNode order) {
        return WalmartEventMapper.lines(order).stream()
                .flatMap(l -> WalmartEventMapper.lineEvents("wm", l, "{}").stream())
                .toList();
    }

    @Test
    void aReleasedLineIsCreatedAndPaidWithItsStringAmount() throws Exception {
        List<CanonicalEvent> events = events(order(status("Created", "3")));
        assertThat(events)
                .extracting(CanonicalEvent::id)
                .containsExactly("order/1796277083022/line/1/created", "order/1796277083022/line/1/paid");
        assertThat(events).allSatisfy(e -> {
            assertThat(e.type()).isEqualTo(EventType.SALE);
            assertThat(e.quantity()).isEqualTo(3);
            assertThat(e.keyValue()).isEqualTo("MUG-BLUE");
            assertThat(e.lineId()).isEqualTo("1");
        });
    }

    @Test
    void aLineOnHoldIsOnlyCreated() throws Exception {
        assertThat(events(order(status("OnHold", "3"))))
                .extracting(CanonicalEvent::stage)
                .containsExactly("created");
    }

    @Test
    void cancellationsAreSummedByStatusAndKeyedSoAGrowingCountAddsOnlyNewUnits() throws Exception {
        List<CanonicalEvent> partly = events(order(status("Shipped", "2") + "," + status("Cancelled", "1")));
        assertThat(partly)
                .filteredOn(e -> e.type() == EventType.CANCEL)
                .extracting(CanonicalEvent::id)
                .containsExactly("order/1796277083022/line/1/cancelled/unit/1");
        List<CanonicalEvent> more = events(order(status("Shipped", "1") + "," + status("Cancelled", "2")));
        assertThat(more)
                .filteredOn(e -> e.type() == EventType.CANCEL)
                .extracting(CanonicalEvent::id)
                .containsExactly(
                        "order/1796277083022/line/1/cancelled/unit/1", "order/1796277083022/line/1/cancelled/unit/2");
        List<CanonicalEvent> whole = events(order(status("Cancelled", "3")));
        assertThat(whole)
                .filteredOn(e -> e.type() == EventType.CANCEL)
                .extracting(CanonicalEvent::id, CanonicalEvent::quantity)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("order/1796277083022/line/1/cancelled", 3L));
    }

    @Test
    void theNotificationUsesTheSameIdsAsThePoller() throws Exception {
        JsonNode payload = JSON.readTree("""
                {"purchaseOrderId":"1796277083022","orderDate":"2026-03-01T14:59:58.000Z",
                 "orderLines":[{"lineNumber":"1","sku":"MUG-BLUE","quantity":{"unitOfMeasure":"EACH","measurementValue":3}}]}
                """);
        assertThat(WalmartNotifications.events("wm", "PO_CREATED", payload))
                .extracting(CanonicalEvent::id)
                .containsExactlyElementsOf(events(order(status("Created", "3"))).stream()
                        .map(CanonicalEvent::id)
                        .toList());
        assertThat(WalmartNotifications.events("wm", "PO_LINE_AUTOCANCELLED", payload))
                .extracting(CanonicalEvent::id)
                .containsExactly("order/1796277083022/line/1/cancelled");
        assertThat(WalmartNotifications.events("wm", "PO_LINE_SHIPPED", payload))
                .isNull();
    }

    @Test
    void anAmountThatIsNotAWholeNumberIsRefused() throws Exception {
        assertThatThrownBy(() -> events(order(status("Created", "2.5"))))
                .isInstanceOf(InvalidEventException.class)
                .hasMessageContaining("statusQuantity.amount");
    }

    // ------------------------------------------------------------------ documented payloads (fixtures)

    @Test
    void documentedGetAllOrdersExampleBooksReleasedLinesAndReleasesCancelledOnes() throws Exception {
        List<JsonNode> orders = WalmartEventMapper.orders(fixture("get-all-orders.json"));
        assertThat(orders).hasSize(3);
        List<CanonicalEvent> events =
                orders.stream().flatMap(o -> events(o).stream()).toList();
        assertThat(events)
                .extracting(
                        CanonicalEvent::id, CanonicalEvent::type, CanonicalEvent::keyValue, CanonicalEvent::quantity)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(
                                "order/1900000000101/line/4/created", EventType.SALE, "WM-MUG-BLUE", 1L),
                        org.assertj.core.groups.Tuple.tuple(
                                "order/1900000000101/line/4/paid", EventType.SALE, "WM-MUG-BLUE", 1L),
                        org.assertj.core.groups.Tuple.tuple(
                                "order/1900000000102/line/1/created", EventType.SALE, "WM-TEA-GREEN", 1L),
                        org.assertj.core.groups.Tuple.tuple(
                                "order/1900000000102/line/1/paid", EventType.SALE, "WM-TEA-GREEN", 1L),
                        org.assertj.core.groups.Tuple.tuple(
                                "order/1900000000102/line/1/cancelled", EventType.CANCEL, "WM-TEA-GREEN", 1L),
                        org.assertj.core.groups.Tuple.tuple(
                                "order/1900000000103/line/1/created", EventType.SALE, "WM-TEA-GREEN", 1L),
                        org.assertj.core.groups.Tuple.tuple(
                                "order/1900000000103/line/1/paid", EventType.SALE, "WM-TEA-GREEN", 1L));
        // orderDate is epoch milliseconds in the orders API.
        assertThat(events.get(0).occurredAt()).isEqualTo(java.time.Instant.ofEpochMilli(1568466571000L));
    }

    @Test
    void documentedStandaloneEventsBookAndReleaseTheirLines() throws Exception {
        List<CanonicalEvent> created = notification(fixture("po-created.json"));
        assertThat(created)
                .extracting(CanonicalEvent::id, CanonicalEvent::quantity)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("order/1900000000201/line/1/created", 2L),
                        org.assertj.core.groups.Tuple.tuple("order/1900000000201/line/1/paid", 2L),
                        org.assertj.core.groups.Tuple.tuple("order/1900000000201/line/2/created", 1L),
                        org.assertj.core.groups.Tuple.tuple("order/1900000000201/line/2/paid", 1L));
        assertThat(created.get(0).occurredAt()).isEqualTo(java.time.Instant.parse("2026-03-01T14:59:58Z"));
        assertThat(notification(fixture("po-line-autocancelled.json")))
                .extracting(
                        CanonicalEvent::id, CanonicalEvent::type, CanonicalEvent::keyValue, CanonicalEvent::quantity)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(
                        "order/1900000000201/line/2/cancelled", EventType.CANCEL, "WM-TEA-GREEN", 1L));
    }

    @Test
    void orderUpdatesMapLikeTheStandaloneEventsTheyReplace() throws Exception {
        List<CanonicalEvent> created = notification(fixture("order-updates-po-created.json"));
        assertThat(created)
                .extracting(CanonicalEvent::id, CanonicalEvent::quantity, CanonicalEvent::keyValue)
                .containsExactlyElementsOf(notification(fixture("po-created.json")).stream()
                        .map(e -> org.assertj.core.groups.Tuple.tuple(e.id(), e.quantity(), e.keyValue()))
                        .toList());
        assertThat(created.get(0).payload()).contains("ORDER_UPDATES").contains("PO_CREATED");
        assertThat(notification(fixture("order-updates-po-line-autocancelled.json")))
                .extracting(CanonicalEvent::id)
                .containsExactlyElementsOf(notification(fixture("po-line-autocancelled.json")).stream()
                        .map(CanonicalEvent::id)
                        .toList());
    }

    @Test
    void orderUpdatesFraudCancelReleasesAndIntentToCancelOrUnknownSubEventsMoveNothing() throws Exception {
        JsonNode cancel = fixture("order-updates-po-line-autocancelled.json");
        ((com.fasterxml.jackson.databind.node.ObjectNode) cancel.get("payload")).put("subEventType", "FRAUD_CANCEL");
        assertThat(notification(cancel))
                .extracting(CanonicalEvent::id, CanonicalEvent::type)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("order/1900000000201/line/2/cancelled", EventType.CANCEL));
        assertThat(notification(fixture("order-updates-intent-to-cancel.json"))).isNull();
        JsonNode later = fixture("order-updates-po-created.json");
        ((com.fasterxml.jackson.databind.node.ObjectNode) later.get("payload")).put("subEventType", "PO_SHIPPED_LATER");
        assertThat(notification(later)).as("Walmart adds sub-events over time").isNull();
    }

    @Test
    void aCancellationLeavesLinesWhoseStatusIsNotCancelled() throws Exception {
        // Whether payload.order lists a PO's unaffected lines is not documented; if it does, they stay booked.
        JsonNode cancel = fixture("order-updates-po-line-autocancelled.json");
        var lines = (com.fasterxml.jackson.databind.node.ArrayNode)
                cancel.get("payload").get("order").get("orderLines");
        lines.insert(
                0, fixture("po-created.json").get("payload").get("orderLines").get(0));
        assertThat(notification(cancel))
                .extracting(CanonicalEvent::id)
                .containsExactly("order/1900000000201/line/2/cancelled");
    }

    @Test
    void orderUpdatesWithoutSubEventOrOrderAreRefusedWithAReason() throws Exception {
        JsonNode noSub = fixture("order-updates-po-created.json");
        ((com.fasterxml.jackson.databind.node.ObjectNode) noSub.get("payload")).remove("subEventType");
        assertThatThrownBy(() -> notification(noSub))
                .isInstanceOf(InvalidEventException.class)
                .hasMessageContaining("subEventType");
        // The page's table lists subEventType beside payload.meta; read there too.
        JsonNode inMeta = fixture("order-updates-po-created.json");
        ((com.fasterxml.jackson.databind.node.ObjectNode) inMeta.get("payload")).remove("subEventType");
        ((com.fasterxml.jackson.databind.node.ObjectNode) inMeta.get("payload"))
                .putObject("meta")
                .put("subEventType", "PO_CREATED");
        assertThat(notification(inMeta)).hasSize(4);
        JsonNode flat = fixture("po-created.json");
        ((com.fasterxml.jackson.databind.node.ObjectNode) flat.get("source")).put("eventType", "ORDER_UPDATES");
        ((com.fasterxml.jackson.databind.node.ObjectNode) flat.get("payload")).put("subEventType", "PO_CREATED");
        assertThatThrownBy(() -> notification(flat))
                .isInstanceOf(InvalidEventException.class)
                .hasMessageContaining("payload.order");
    }
}
