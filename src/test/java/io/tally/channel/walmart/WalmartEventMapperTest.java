package io.tally.channel.walmart;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tally.event.CanonicalEvent;
import io.tally.event.EventType;
import io.tally.event.InvalidEventException;
import org.junit.jupiter.api.Test;

/** Walmart order JSON → canonical events: business-key ids shared by the poller and the notifications. */
class WalmartEventMapperTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonNode order(String statuses) throws Exception {
        return JSON.readTree("""
                {"purchaseOrderId":"1796277083022","orderDate":1772377200000,
                 "orderLines":{"orderLine":[{"lineNumber":"1","item":{"sku":"MUG-BLUE"},
                   "orderLineQuantity":{"unitOfMeasurement":"EACH","amount":"3"},"statusDate":1772377260000,
                   "orderLineStatuses":{"orderLineStatus":[%s]}}]}}
                """.formatted(statuses));
    }

    private static String status(String name, String amount) {
        return "{\"status\":\"" + name + "\",\"statusQuantity\":{\"unitOfMeasurement\":\"EACH\",\"amount\":\""
                + amount + "\"}}";
    }

    private static List<CanonicalEvent> events(JsonNode order) {
        return WalmartEventMapper.lines(order).stream()
                .flatMap(l -> WalmartEventMapper.lineEvents("wm", l, "{}").stream()).toList();
    }

    @Test
    void aReleasedLineIsCreatedAndPaidWithItsStringAmount() throws Exception {
        List<CanonicalEvent> events = events(order(status("Created", "3")));
        assertThat(events).extracting(CanonicalEvent::id).containsExactly(
                "order/1796277083022/line/1/created", "order/1796277083022/line/1/paid");
        assertThat(events).allSatisfy(e -> {
            assertThat(e.type()).isEqualTo(EventType.SALE);
            assertThat(e.quantity()).isEqualTo(3);
            assertThat(e.keyValue()).isEqualTo("MUG-BLUE");
            assertThat(e.lineId()).isEqualTo("1");
        });
    }

    @Test
    void aLineOnHoldIsOnlyCreated() throws Exception {
        assertThat(events(order(status("OnHold", "3")))).extracting(CanonicalEvent::stage).containsExactly("created");
    }

    @Test
    void cancellationsAreSummedByStatusAndKeyedSoAGrowingCountAddsOnlyNewUnits() throws Exception {
        List<CanonicalEvent> partly = events(order(status("Shipped", "2") + "," + status("Cancelled", "1")));
        assertThat(partly).filteredOn(e -> e.type() == EventType.CANCEL).extracting(CanonicalEvent::id)
                .containsExactly("order/1796277083022/line/1/cancelled/unit/1");
        List<CanonicalEvent> more = events(order(status("Shipped", "1") + "," + status("Cancelled", "2")));
        assertThat(more).filteredOn(e -> e.type() == EventType.CANCEL).extracting(CanonicalEvent::id)
                .containsExactly("order/1796277083022/line/1/cancelled/unit/1",
                        "order/1796277083022/line/1/cancelled/unit/2");
        List<CanonicalEvent> whole = events(order(status("Cancelled", "3")));
        assertThat(whole).filteredOn(e -> e.type() == EventType.CANCEL)
                .extracting(CanonicalEvent::id, CanonicalEvent::quantity)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("order/1796277083022/line/1/cancelled", 3L));
    }

    @Test
    void theNotificationUsesTheSameIdsAsThePoller() throws Exception {
        JsonNode payload = JSON.readTree("""
                {"purchaseOrderId":"1796277083022","orderDate":"2026-03-01T14:59:58.000Z",
                 "orderLines":[{"lineNumber":"1","sku":"MUG-BLUE","quantity":{"unitOfMeasure":"EACH","measurementValue":3}}]}
                """);
        assertThat(WalmartEventMapper.notification("wm", "PO_CREATED", payload)).extracting(CanonicalEvent::id)
                .containsExactlyElementsOf(events(order(status("Created", "3"))).stream().map(CanonicalEvent::id)
                        .toList());
        assertThat(WalmartEventMapper.notification("wm", "PO_LINE_AUTOCANCELLED", payload))
                .extracting(CanonicalEvent::id).containsExactly("order/1796277083022/line/1/cancelled");
        assertThat(WalmartEventMapper.notification("wm", "PO_LINE_SHIPPED", payload)).isNull();
    }

    @Test
    void anAmountThatIsNotAWholeNumberIsRefused() throws Exception {
        assertThatThrownBy(() -> events(order(status("Created", "2.5")))).isInstanceOf(InvalidEventException.class)
                .hasMessageContaining("statusQuantity.amount");
    }
}
