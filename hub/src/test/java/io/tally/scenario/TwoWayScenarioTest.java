package io.tally.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** design.md §1: two stores, two-way (matched by handle), 50 → 45 → 55; refunds and cancels sync too. */
class TwoWayScenarioTest extends ScenarioBase {

    @Test
    void twoPeerStoresStayEqualThroughSalesRestocksRefundsAndCancels() {
        String handle = "slim-fit-denim-jacket";
        declare("hnd-a", "jacket-a", "handle", handle, "level", 50);
        declare("hnd-b", "jacket-b", "handle", handle, "level", 50);
        String key = api.listing("hnd-a", "jacket-a").path("itemKey").asText();
        assertThat(key).isNotBlank();
        assertThat(api.listing("hnd-b", "jacket-b").path("itemKey").asText())
                .as("same stock item")
                .isEqualTo(key);
        awaitOnHand(key, 50);

        // 5 sold in B
        api.accepted(Ev.sale("hnd-b").ref("jacket-b").qty(5).order("tw-b-1", "l1"));
        awaitOnHand(key, 45);
        awaitPushed("hnd-a", "jacket-a", 45);
        awaitPushed("hnd-b", "jacket-b", 45);

        // 10 restocked in A: A's level observed at 55 (it showed 45) = +10
        api.accepted(Ev.set("hnd-a").ref("jacket-a").qty(55));
        awaitOnHand(key, 55);
        awaitPushed("hnd-b", "jacket-b", 55);
        awaitTarget("hnd-a", "jacket-a", 55);

        // an order in A: 3 sold, 1 cancelled, 2 refunded with restock, then a stray extra cancel
        api.accepted(Ev.sale("hnd-a").ref("jacket-a").qty(3).order("tw-a-1", "l1"));
        awaitOnHand(key, 52);
        awaitPushed("hnd-b", "jacket-b", 52);
        api.accepted(Ev.cancel("hnd-a").ref("jacket-a").qty(1).order("tw-a-1", "l1"));
        awaitOnHand(key, 53);
        awaitPushed("hnd-b", "jacket-b", 53);
        api.accepted(
                Ev.restock("hnd-a").ref("jacket-a").qty(2).order("tw-a-1", "l1").cause("refund"));
        awaitOnHand(key, 55);
        awaitPushed("hnd-b", "jacket-b", 55);
        awaitPushed("hnd-a", "jacket-a", 55);
        api.accepted(Ev.cancel("hnd-a").ref("jacket-a").qty(2).order("tw-a-1", "l1"));
        awaitLedgerCaughtUp();
        assertThat(api.onHand(key)).isEqualTo(55);

        // a cancel in B of its earlier order goes to A too
        api.accepted(Ev.cancel("hnd-b").ref("jacket-b").qty(5).order("tw-b-1", "l1"));
        awaitOnHand(key, 60);
        awaitPushed("hnd-a", "jacket-a", 60);
        awaitPushed("hnd-b", "jacket-b", 60);
        assertLedgerConsistent(key);
    }
}
