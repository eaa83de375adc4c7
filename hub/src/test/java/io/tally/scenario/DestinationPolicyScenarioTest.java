package io.tally.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** design.md §1/§4: source and destination stores; a manual edit in the destination is ignored, reverted or applied. */
class DestinationPolicyScenarioTest extends ScenarioBase {

    private void sourceAndDestination(String sku, String dstStore, String dstRef) {
        declare("src", sku + "-src", "sku", sku, "level", 100);
        declare(dstStore, dstRef, "sku", sku, "level", 7);
        awaitOnHand(sku, 100); // seeded from the source, not the destination
        awaitPushed(dstStore, dstRef, 100); // the destination is overwritten with the target
    }

    @Test
    void ignoreLeavesTheSourceAloneAndOnlyOrdersMoveTheMaster() {
        String sku = "dpol-ignore";
        sourceAndDestination(sku, "dst-ignore", "ign-dst");
        int pushes = SIM.pushCount("dst-ignore", "ign-dst");
        int srcPushes = SIM.pushCount("src", sku + "-src");
        long ledgerSize = api.ledger(sku).size();

        api.accepted(Ev.set("dst-ignore").ref("ign-dst").qty(80));
        api.accepted(Ev.adjust("dst-ignore").ref("ign-dst").qty(-5));
        stays(Duration.ofMillis(1500), () -> {
            assertThat(api.onHand(sku)).isEqualTo(100);
            assertThat(api.ledger(sku)).hasSize((int) ledgerSize);
            assertThat(SIM.pushCount("dst-ignore", "ign-dst"))
                    .as("ignore does not push the destination back")
                    .isEqualTo(pushes);
            assertThat(SIM.pushCount("src", sku + "-src")).isEqualTo(srcPushes);
        });

        // orders from the destination do move the master
        api.accepted(Ev.sale("dst-ignore").ref("ign-dst").qty(3).order("dpi-o1", "l1"));
        awaitOnHand(sku, 97);
        awaitPushed("src", sku + "-src", 97);
        awaitPushed("dst-ignore", "ign-dst", 97);
        assertLedgerConsistent(sku);
    }

    @Test
    void revertBooksNothingAndPushesTheTargetBack() {
        String sku = "dpol-revert";
        sourceAndDestination(sku, "dst-revert", "rev-dst");
        int pushes = SIM.pushCount("dst-revert", "rev-dst");
        long ledgerSize = api.ledger(sku).size();

        api.accepted(Ev.set("dst-revert").ref("rev-dst").qty(80));
        eventually(() -> assertThat(SIM.pushCount("dst-revert", "rev-dst")).isGreaterThan(pushes));
        assertThat(SIM.level("dst-revert", "rev-dst")).isEqualTo(100);
        awaitPushed("dst-revert", "rev-dst", 100);
        assertThat(api.onHand(sku)).isEqualTo(100);
        assertThat(api.ledger(sku)).hasSize((int) ledgerSize);
    }

    @Test
    void applyBooksTheDestinationEditAsAnAdjustment() {
        String sku = "dpol-apply";
        sourceAndDestination(sku, "dst-apply", "app-dst");

        api.accepted(Ev.set("dst-apply").ref("app-dst").qty(80));
        awaitOnHand(sku, 80);
        awaitPushed("src", sku + "-src", 80);
        awaitTarget("dst-apply", "app-dst", 80);
        assertThat(sumLedger(sku, "adjustment")).isEqualTo(-20);

        api.accepted(Ev.adjust("dst-apply").ref("app-dst").qty(5));
        awaitOnHand(sku, 85);
        awaitPushed("src", sku + "-src", 85);
        assertLedgerConsistent(sku);
    }

    @Test
    void sourceEditsApplyByDefault() {
        String sku = "dpol-source";
        sourceAndDestination(sku, "dst-ignore", "srcedit-dst");
        api.accepted(Ev.set("src").ref(sku + "-src").qty(120));
        awaitOnHand(sku, 120);
        awaitPushed("dst-ignore", "srcedit-dst", 120);
        api.accepted(Ev.adjust("src").ref(sku + "-src").qty(-20));
        awaitOnHand(sku, 100);
        awaitPushed("dst-ignore", "srcedit-dst", 100);
        assertLedgerConsistent(sku);
    }
}
