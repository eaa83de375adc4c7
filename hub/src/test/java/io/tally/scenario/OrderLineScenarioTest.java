package io.tally.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Order line book: cancels/restocks bounded by the line, early cancels, duplicates, oversell. */
class OrderLineScenarioTest extends ScenarioBase {

    @Test
    void cancelsAndRestocksNeverReturnMoreThanTheLineBooked() {
        String sku = "ol-cap";
        declare("main", "olc-1", "sku", sku, "level", 50);
        awaitOnHand(sku, 50);
        api.accepted(Ev.sale("main").ref("olc-1").qty(3).order("olc-o1", "l1"));
        awaitOnHand(sku, 47);
        api.accepted(Ev.cancel("main").ref("olc-1").qty(2).order("olc-o1", "l1"));
        awaitOnHand(sku, 49);
        api.accepted(Ev.restock("main").ref("olc-1").qty(5).order("olc-o1", "l1"));
        awaitOnHand(sku, 50);
        api.accepted(Ev.cancel("main").ref("olc-1").qty(1).order("olc-o1", "l1"));
        api.accepted(
                Ev.restock("main").ref("olc-1").qty(1).order("olc-o1", "l1").cause("refund"));
        awaitLedgerCaughtUp();
        assertThat(api.onHand(sku)).isEqualTo(50);
        assertThat(sumLedger(sku, "cancel") + sumLedger(sku, "restock")).isEqualTo(3);
        awaitPushed("main", "olc-1", 50);
        assertLedgerConsistent(sku);
    }

    @Test
    void cancelBeforeItsSaleWaitsAndIsAppliedAfter() {
        String sku = "ol-early";
        declare("main", "ole-1", "sku", sku, "level", 50);
        awaitOnHand(sku, 50);
        String cancelId = api.accepted(Ev.cancel("main").ref("ole-1").qty(2).order("ole-o1", "l1"));
        eventually(() -> assertThat(api.hasEvent("waiting", cancelId))
                .as("cancel %s waiting", cancelId)
                .isTrue());
        assertThat(api.onHand(sku)).isEqualTo(50);

        api.accepted(Ev.sale("main").ref("ole-1").qty(3).order("ole-o1", "l1"));
        awaitOnHand(sku, 49);
        awaitPushed("main", "ole-1", 49);
        eventually(() -> assertThat(api.hasEvent("applied", cancelId))
                .as("cancel %s applied", cancelId)
                .isTrue());
        assertThat(api.hasEvent("waiting", cancelId)).isFalse();
        assertThat(sumLedger(sku, "sale")).isEqualTo(-3);
        assertThat(sumLedger(sku, "cancel")).isEqualTo(2);
        assertLedgerConsistent(sku);
    }

    @Test
    void restockBeforeItsSaleIsBoundedByTheLineWhenTheSaleArrives() {
        String sku = "ol-early-cap";
        declare("main", "olec-1", "sku", sku, "level", 50);
        awaitOnHand(sku, 50);
        api.accepted(Ev.restock("main").ref("olec-1").qty(4).order("olec-o1", "l1"));
        api.accepted(Ev.cancel("main").ref("olec-1").qty(4).order("olec-o1", "l1"));
        awaitLedgerCaughtUp();
        assertThat(api.onHand(sku)).isEqualTo(50);
        api.accepted(Ev.sale("main").ref("olec-1").qty(5).order("olec-o1", "l1"));
        awaitOnHand(sku, 50); // -5, then +4 and +1 (capped)
        awaitLedgerCaughtUp();
        assertThat(api.onHand(sku)).isEqualTo(50);
        assertThat(sumLedger(sku, "sale")).isEqualTo(-5);
        assertThat(sumLedger(sku, "cancel") + sumLedger(sku, "restock")).isEqualTo(5);
        assertLedgerConsistent(sku);
    }

    @Test
    void duplicatesAreAnswered200AndBookedOnce() {
        String sku = "ol-dup";
        declare("main", "old-1", "sku", sku, "level", 50);
        awaitOnHand(sku, 50);

        Ev sale = Ev.sale("main").ref("old-1").qty(2);
        api.accepted(sale);
        TallyClient.Resp dup = api.postEvent(sale);
        assertThat(dup.status()).as("%s", dup).isEqualTo(200);
        assertThat(dup.json().path("status").asText()).isEqualTo("duplicate");
        assertThat(dup.json().path("id").asText()).isEqualTo(sale.id());
        awaitOnHand(sku, 48);

        Ev restock = Ev.restock("main").ref("old-1").qty(1);
        TallyClient.Resp mixed = api.postEvent(List.of(sale, restock));
        assertThat(mixed.status()).as("%s", mixed).isEqualTo(202);
        assertThat(mixed.json().path("status").asText()).isEqualTo("accepted");
        assertThat(mixed.json().path("accepted").asInt()).isEqualTo(1);
        assertThat(mixed.json().path("duplicates").asInt()).isEqualTo(1);
        TallyClient.Resp allDup = api.postEvent(List.of(sale, restock));
        assertThat(allDup.status()).as("%s", allDup).isEqualTo(200);
        assertThat(allDup.json().path("status").asText()).isEqualTo("duplicate");

        awaitOnHand(sku, 49);
        awaitLedgerCaughtUp();
        assertThat(api.onHand(sku)).isEqualTo(49);
        Set<String> eventIds = new HashSet<>();
        for (JsonNode e : api.ledger(sku)) {
            if (!e.path("eventId").isNull() && !e.path("eventId").asText().isEmpty()) {
                assertThat(eventIds.add(e.path("eventId").asText()))
                        .as("one entry per event: %s", e)
                        .isTrue();
            }
        }
        assertThat(eventIds).contains(sale.id(), restock.id());
        awaitPushed("main", "old-1", 49);
        assertLedgerConsistent(sku);
    }

    @Test
    void aRepeatedSaleOfABookedLineBooksOnlyAnIncrease() {
        String sku = "ol-repeat";
        declare("main", "olr-1", "sku", sku, "level", 50);
        awaitOnHand(sku, 50);
        api.accepted(Ev.sale("main").ref("olr-1").qty(2).order("olr-o1", "l1"));
        awaitOnHand(sku, 48);
        api.accepted(Ev.sale("main").ref("olr-1").qty(3).order("olr-o1", "l1"));
        awaitOnHand(sku, 47);
        api.accepted(Ev.sale("main").ref("olr-1").qty(3).order("olr-o1", "l1"));
        api.accepted(Ev.sale("main").ref("olr-1").qty(1).order("olr-o1", "l1"));
        awaitLedgerCaughtUp();
        assertThat(api.onHand(sku)).isEqualTo(47);
        // the line booked 3: cancelling 5 returns 3
        api.accepted(Ev.cancel("main").ref("olr-1").qty(5).order("olr-o1", "l1"));
        awaitOnHand(sku, 50);
        awaitLedgerCaughtUp();
        assertThat(api.onHand(sku)).isEqualTo(50);
        assertLedgerConsistent(sku);
    }

    @Test
    void oversellIsRecordedFlaggedAndPushedAsZero() {
        String sku = "ol-over";
        declare("main", "olo-a", "sku", sku, "master", true, "level", 2);
        declare("main", "olo-b", "sku", sku);
        awaitOnHand(sku, 2);
        awaitPushed("main", "olo-b", 2);

        api.accepted(Ev.sale("main").ref("olo-b").qty(5).order("olo-o1", "l1"));
        awaitOnHand(sku, -3);
        JsonNode item = api.item(sku);
        assertThat(item.path("oversold").asBoolean()).isTrue();
        awaitPushed("main", "olo-a", 0);
        awaitPushed("main", "olo-b", 0);
        assertLedgerConsistent(sku);

        // every page of items, following Link (a page holds at most 1000)
        boolean seenNotOversold = false;
        boolean found = false;
        for (JsonNode i : api.all("/api/items?limit=1000")) {
            boolean over = i.path("oversold").asBoolean();
            assertThat(over && seenNotOversold)
                    .as("oversold items come first: %s", i)
                    .isFalse();
            seenNotOversold |= !over;
            found |= sku.equals(i.path("key").asText()) && over;
        }
        assertThat(found).as("%s listed as oversold", sku).isTrue();

        api.accepted(Ev.restock("main").ref("olo-a").qty(10));
        awaitOnHand(sku, 7);
        assertThat(api.item(sku).path("oversold").asBoolean()).isFalse();
        awaitPushed("main", "olo-a", 7);
        awaitPushed("main", "olo-b", 7);
    }

    @Test
    void skuKeysAreNormalised() {
        declare("main", "oln-1", "sku", "  OL-Norm-SKU ", "level", 12);
        awaitOnHand("ol-norm-sku", 12);
        api.accepted(Ev.sale("main").sku("OL-NORM-sku").qty(2).order("oln-o1", "l1"));
        awaitOnHand("ol-norm-sku", 10);
        assertThat(api.get("/api/items/OL-Norm-SKU").json().path("onHand").asLong())
                .isEqualTo(10);
        awaitPushed("main", "oln-1", 10);
    }
}
