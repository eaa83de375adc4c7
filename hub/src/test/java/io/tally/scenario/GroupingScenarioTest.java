package io.tally.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

/** design.md §1 rows 1-4: master group, shared SKU, barcode grouping, manual master update. */
class GroupingScenarioTest extends ScenarioBase {

    @Test
    void masterGroupSaleOfDogAndCatLeaves2995Everywhere() {
        String sku = "grey-md-tshirt";
        declare("main", "gt-blank", "sku", sku, "master", true, "level", 3000);
        declare("main", "gt-cat", "sku", sku);
        declare("main", "gt-dog", "sku", sku);
        declare("main", "gt-bird", "sku", sku);
        awaitOnHand(sku, 3000);
        for (String ref : new String[] {"gt-cat", "gt-dog", "gt-bird"}) {
            awaitPushed("main", ref, 3000);
        }

        String order = "gt-order-1";
        api.accepted(Ev.sale("main").ref("gt-dog").qty(3).order(order, "line-dog"));
        api.accepted(Ev.sale("main").ref("gt-cat").qty(2).order(order, "line-cat"));

        awaitOnHand(sku, 2995);
        for (String ref : new String[] {"gt-blank", "gt-cat", "gt-dog", "gt-bird"}) {
            awaitPushed("main", ref, 2995);
        }
        JsonNode item = api.item(sku);
        assertThat(item.path("key").asText()).isEqualTo(sku);
        assertThat(item.path("oversold").asBoolean()).isFalse();
        assertThat(item.path("listings")).hasSize(4);
        for (JsonNode l : item.path("listings")) {
            assertThat(l.path("target").asLong()).as("%s", l).isEqualTo(2995);
            assertThat(l.path("lastPushed").asLong()).as("%s", l).isEqualTo(2995);
        }
        assertThat(countLedger(sku, "sale")).isEqualTo(2);
        assertThat(sumLedger(sku, "sale")).isEqualTo(-5);
        assertLedgerConsistent(sku);
    }

    @Test
    void sharedSkuWithoutMasterOneCatOneDogGives8NotNine() {
        String sku = "shared-sku";
        declare("main", "ss-cat", "sku", sku, "level", 10);
        declare("main", "ss-dog", "sku", sku, "level", 10);
        declare("main", "ss-bird", "sku", sku, "level", 10);
        awaitOnHand(sku, 10);

        Ev cat = Ev.sale("main").sku(sku).ref("ss-cat").qty(1).order("ss-order-1", "line-cat");
        Ev dog = Ev.sale("main").sku(sku).ref("ss-dog").qty(1).order("ss-order-1", "line-dog");
        api.accepted(cat);
        api.accepted(dog);

        awaitOnHand(sku, 8);
        for (String ref : new String[] {"ss-cat", "ss-dog", "ss-bird"}) {
            awaitPushed("main", ref, 8);
        }
        assertLedgerConsistent(sku);
    }

    @Test
    void groupingByBarcodeBehavesLikeSku() {
        String barcode = "0012345678905";
        declare("bc", "bc-red", "barcode", barcode, "master", true, "level", 40);
        declare("bc", "bc-blue", "barcode", barcode);
        declare("bc", "bc-green", "barcode", barcode);
        awaitOnHand(barcode, 40);

        api.accepted(Ev.sale("bc").barcode(barcode).ref("bc-blue").qty(3).order("bc-order-1", "l1"));
        api.accepted(Ev.sale("bc").ref("bc-green").qty(2).order("bc-order-1", "l2"));

        awaitOnHand(barcode, 35);
        for (String ref : new String[] {"bc-red", "bc-blue", "bc-green"}) {
            awaitPushed("bc", ref, 35);
        }
        JsonNode l = api.listing("bc", "bc-blue");
        assertThat(l.path("itemKey").asText()).isEqualTo(barcode);
        assertThat(l.path("barcode").asText()).isEqualTo(barcode);
        assertLedgerConsistent(barcode);
    }

    @Test
    void manualUpdateOfMasterBecomesTheCountAndIsPushedToEveryDerivative() {
        String sku = "mmu-sku";
        declare("main", "mmu-blank", "sku", sku, "master", true, "level", 100);
        declare("main", "mmu-a", "sku", sku);
        declare("main", "mmu-b", "sku", sku);
        awaitOnHand(sku, 100);
        awaitPushed("main", "mmu-a", 100);
        awaitPushed("main", "mmu-b", 100);

        // new blank stock received: the channel reports the master at 250
        api.accepted(Ev.set("main").ref("mmu-blank").qty(250));

        awaitOnHand(sku, 250);
        awaitPushed("main", "mmu-a", 250);
        awaitPushed("main", "mmu-b", 250);
        awaitTarget("main", "mmu-blank", 250);
        assertThat(countLedger(sku, "count")).isGreaterThanOrEqualTo(1);
        assertThat(api.ledger(sku).get(0).path("kind").asText())
                .as("newest ledger entry")
                .isEqualTo("count");
        assertLedgerConsistent(sku);

        // a sale after the recount still counts from the new level
        api.accepted(Ev.sale("main").ref("mmu-a").qty(4).order("mmu-o1", "l1"));
        awaitOnHand(sku, 246);
        awaitPushed("main", "mmu-blank", 246);
        awaitPushed("main", "mmu-b", 246);
        assertLedgerConsistent(sku);
    }

    @Test
    void masterSetEqualToLastPushedIsAnEcho() {
        String sku = "echo-sku";
        declare("main", "echo-blank", "sku", sku, "master", true, "level", 60);
        declare("main", "echo-a", "sku", sku);
        awaitOnHand(sku, 60);
        api.accepted(Ev.sale("main").ref("echo-a").qty(5).order("echo-o1", "l1"));
        awaitPushed("main", "echo-blank", 55);
        long entries = api.ledger(sku).size();

        // the channel reports back exactly what Tally pushed: nothing happens
        api.accepted(Ev.set("main").ref("echo-blank").qty(55));
        api.accepted(Ev.set("main").ref("echo-a").qty(55));
        // Level snapshots wait their settle window before the ledger judges them: caught up means judged.
        awaitLedgerCaughtUp();
        assertThat(api.onHand(sku)).isEqualTo(55);
        assertThat(api.ledger(sku)).hasSize((int) entries);
    }
}
