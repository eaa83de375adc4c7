package io.tally.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.tally.channel.http.HttpChannelConnector;
import io.tally.connector.ConnectorRegistry;
import io.tally.policy.StoreProperties;
import io.tally.policy.StoreRegistry;
import io.tally.policy.TallyProperties;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EventParserTest {

    private final EventParser parser = new EventParser(
            new ObjectMapper(),
            new StoreRegistry(
                    new TallyProperties(
                            "t",
                            "m",
                            "h",
                            null,
                            null,
                            null,
                            null,
                            null,
                            null,
                            null,
                            Map.of(
                                    "shop",
                                    new StoreProperties(
                                            "http",
                                            StoreProperties.StoreRole.PEER,
                                            StoreProperties.MatchBy.SKU,
                                            StoreProperties.BookOn.PAID,
                                            StoreProperties.RestockOn.REFUND,
                                            null,
                                            0,
                                            null,
                                            100,
                                            null,
                                            null,
                                            "http://x",
                                            10,
                                            null))),
                    new ConnectorRegistry(List.of(new HttpChannelConnector()))));

    @Test
    void parsesOneEventAndNormalisesTheSku() {
        List<CanonicalEvent> events = parser.parse("""
                {"id":"e1","store":"shop","type":"sale","sku":"  Grey-MD ","quantity":2,"orderId":"o1"}
                """);
        CanonicalEvent event = events.get(0);
        assertThat(event.keyKind()).isEqualTo(KeyKind.SKU);
        assertThat(event.keyValue()).isEqualTo("grey-md");
        assertThat(event.channel()).isEqualTo("http");
        assertThat(event.effectiveLineId()).isEqualTo("grey-md");
        assertThat(event.idempotencyKey()).isEqualTo("shop:e1");
    }

    @Test
    void refWinsAsTheKeyAndNamesTheLine() {
        CanonicalEvent event = parser.parse("""
                {"id":"e1","store":"shop","type":"cancel","ref":"Variant-7","sku":"x","quantity":1,"orderId":"o1"}
                """).get(0);
        assertThat(event.keyKind()).isEqualTo(KeyKind.REF);
        assertThat(event.keyValue()).isEqualTo("Variant-7");
        assertThat(event.effectiveLineId()).isEqualTo("Variant-7");
        assertThat(event.correlationKey()).isEqualTo("ref:shop:Variant-7");
    }

    @Test
    void parsesAnArray() {
        assertThat(parser.parse("""
                [{"id":"a","store":"shop","type":"adjust","sku":"x","quantity":-3},
                 {"id":"b","store":"shop","type":"set","sku":"x","quantity":0}]
                """)).extracting(CanonicalEvent::quantity).containsExactly(-3L, 0L);
    }

    @Test
    void refusesBadInputWithAReason() {
        assertRefused("{", "malformed JSON");
        assertRefused("[]", "empty");
        assertRefused("{\"store\":\"shop\",\"type\":\"sale\",\"sku\":\"x\",\"quantity\":1}", "id is required");
        assertRefused(
                "{\"id\":\"a\",\"store\":\"nope\",\"type\":\"sale\",\"sku\":\"x\",\"quantity\":1}", "unknown store");
        assertRefused(
                "{\"id\":\"a\",\"store\":\"shop\",\"type\":\"sold\",\"sku\":\"x\",\"quantity\":1}", "unknown type");
        assertRefused("{\"id\":\"a\",\"store\":\"shop\",\"type\":\"sale\",\"quantity\":1}", "sku, barcode or ref");
        assertRefused("{\"id\":\"a\",\"store\":\"shop\",\"type\":\"sale\",\"sku\":\"x\",\"quantity\":0}", "positive");
        assertRefused(
                "{\"id\":\"a\",\"store\":\"shop\",\"type\":\"restock\",\"sku\":\"x\",\"quantity\":-1}", "positive");
        assertRefused(
                "{\"id\":\"a\",\"store\":\"shop\",\"type\":\"sale\",\"sku\":\"x\",\"quantity\":1.5}", "whole number");
        assertRefused("{\"id\":\"a\",\"store\":\"shop\",\"type\":\"adjust\",\"sku\":\"x\",\"quantity\":0}", "non-zero");
        assertRefused("{\"id\":\"a\",\"store\":\"shop\",\"type\":\"set\",\"sku\":\"x\",\"quantity\":-1}", "negative");
        assertRefused("{\"id\":\"a\",\"store\":\"shop\",\"type\":\"cancel\",\"sku\":\"x\",\"quantity\":1}", "orderId");
        assertRefused(
                "{\"id\":\"a\",\"store\":\"shop\",\"channel\":\"shopify\",\"type\":\"sale\",\"sku\":\"x\","
                        + "\"quantity\":1}",
                "http store");
        assertRefused(
                "{\"id\":\"a\",\"store\":\"shop\",\"type\":\"sale\",\"sku\":\"x\",\"qty\":1}", "unknown field 'qty'");
        assertRefused(
                "{\"id\":\"a\",\"store\":\"shop\",\"type\":\"sale\",\"sku\":\"x\",\"quantity\":1,"
                        + "\"occurredAt\":\"yesterday\"}",
                "ISO-8601");
    }

    @Test
    void oneBadElementRefusesTheWholeArray() {
        assertThatThrownBy(() -> parser.parse("""
                [{"id":"a","store":"shop","type":"sale","sku":"x","quantity":1},
                 {"id":"b","store":"shop","type":"sale","sku":"x","quantity":-1}]
                """))
                .isInstanceOf(InvalidEventException.class)
                .hasMessageContaining("events[1]");
    }

    private void assertRefused(String body, String reason) {
        assertThatThrownBy(() -> parser.parse(body))
                .isInstanceOf(InvalidEventException.class)
                .hasMessageContaining(reason);
    }
}
