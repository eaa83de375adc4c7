package io.tally.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** design.md §1: book-on paid/created; restock-on refund/return (units go back exactly once). */
class BookingScenarioTest extends ScenarioBase {

    @Test
    void bookOnPaidIgnoresCreatedAndBooksWhenPaid() {
        String sku = "book-paid";
        declare("main", "bp-1", "sku", sku, "level", 20);
        declare("main", "bp-2", "sku", sku);
        awaitOnHand(sku, 20);

        api.accepted(Ev.sale("main").ref("bp-1").qty(2).order("bp-o1", "l1").stage("created"));
        awaitLedgerCaughtUp();
        assertThat(api.onHand(sku)).isEqualTo(20);

        api.accepted(Ev.sale("main").ref("bp-1").qty(2).order("bp-o1", "l1").stage("paid"));
        awaitOnHand(sku, 18);
        awaitPushed("main", "bp-2", 18);
        // an order update re-delivering the paid line books nothing more
        api.accepted(Ev.sale("main").ref("bp-1").qty(2).order("bp-o1", "l1"));
        awaitLedgerCaughtUp();
        assertThat(api.onHand(sku)).isEqualTo(18);
        assertThat(countLedger(sku, "sale")).isEqualTo(1);
        assertLedgerConsistent(sku);
    }

    @Test
    void bookOnCreatedBooksOnceEvenWhenPaidFollows() {
        String sku = "book-created";
        declare("early", "bc-1", "sku", sku, "level", 20);
        declare("early", "bc-2", "sku", sku);
        awaitOnHand(sku, 20);

        api.accepted(Ev.sale("early").ref("bc-1").qty(2).order("bc-o1", "l1").stage("created"));
        awaitOnHand(sku, 18);
        awaitPushed("early", "bc-2", 18);

        api.accepted(Ev.sale("early").ref("bc-1").qty(2).order("bc-o1", "l1").stage("paid"));
        awaitLedgerCaughtUp();
        assertThat(api.onHand(sku)).isEqualTo(18);
        assertThat(countLedger(sku, "sale")).isEqualTo(1);
        assertLedgerConsistent(sku);
    }

    @Test
    void restockOnReturnIgnoresRefundRestocksAndNeverReturnsMoreThanSold() {
        String sku = "restock-return";
        declare("ret", "rr-1", "sku", sku, "level", 20);
        awaitOnHand(sku, 20);
        api.accepted(Ev.sale("ret").ref("rr-1").qty(4).order("rr-o1", "l1"));
        awaitOnHand(sku, 16);

        api.accepted(Ev.restock("ret").ref("rr-1").qty(4).order("rr-o1", "l1").cause("refund"));
        awaitLedgerCaughtUp();
        assertThat(api.onHand(sku)).isEqualTo(16);

        api.accepted(Ev.restock("ret").ref("rr-1").qty(3).order("rr-o1", "l1").cause("return"));
        awaitOnHand(sku, 19);
        api.accepted(Ev.restock("ret").ref("rr-1").qty(3).order("rr-o1", "l1").cause("return"));
        awaitOnHand(sku, 20); // capped at the 4 sold
        api.accepted(Ev.restock("ret").ref("rr-1").qty(1).order("rr-o1", "l1"));
        awaitLedgerCaughtUp();
        assertThat(api.onHand(sku)).isEqualTo(20);
        assertThat(sumLedger(sku, "restock")).isEqualTo(4);
        awaitPushed("ret", "rr-1", 20);
        assertLedgerConsistent(sku);
    }

    @Test
    void restockOnRefundIgnoresReturnRestocks() {
        String sku = "restock-refund";
        declare("main", "rf-1", "sku", sku, "level", 20);
        awaitOnHand(sku, 20);
        api.accepted(Ev.sale("main").ref("rf-1").qty(4).order("rf-o1", "l1"));
        awaitOnHand(sku, 16);

        api.accepted(Ev.restock("main").ref("rf-1").qty(2).order("rf-o1", "l1").cause("return"));
        awaitLedgerCaughtUp();
        assertThat(api.onHand(sku)).isEqualTo(16);
        api.accepted(Ev.restock("main").ref("rf-1").qty(3).order("rf-o1", "l1").cause("refund"));
        awaitOnHand(sku, 19);
        awaitPushed("main", "rf-1", 19);
        assertLedgerConsistent(sku);
    }
}
