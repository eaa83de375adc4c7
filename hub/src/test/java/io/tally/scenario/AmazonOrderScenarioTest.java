package io.tally.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import io.tally.sandbox.amazon.AmazonSimulator;
import io.tally.sandbox.amazon.AmazonSimulator.OrderStatus;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Amazon orders polled from SP-API: booking by the store's book-on, cancellations, re-reads and the cursor. */
class AmazonOrderScenarioTest extends AmazonScenarioBase {

    @Test
    void pendingOrderBooksOnlyWhereTheStoreBooksOnCreated() {
        listing("amz-created", "AO-PEND-C", 20);
        listing("amz-paid", "AO-PEND-P", 20);
        awaitOnHand(key("AO-PEND-C"), 20);
        awaitOnHand(key("AO-PEND-P"), 20);

        order("amz-created", OrderStatus.Pending, "AO-PEND-C", 3);
        String paidStoreOrder = order("amz-paid", OrderStatus.Pending, "AO-PEND-P", 3);

        awaitOnHand(key("AO-PEND-C"), 17);
        awaitAmazon("amz-created", "AO-PEND-C", 17);
        // Not paid yet: nothing is booked, and every channel (Amazon too) keeps showing Tally's 20.
        eventually(() -> assertThat(inboxOutcomeCode(
                        "amz-paid", "order/" + paidStoreOrder + "/item/" + itemId(paidStoreOrder) + "/created"))
                .isEqualTo("applied: NOT_PAID_YET"));
        awaitAmazon("amz-paid", "AO-PEND-P", 20);
        staysOnHand(key("AO-PEND-P"), 20);

        // Payment authorised: Unshipped books it.
        AMAZON.setStatus(paidStoreOrder, OrderStatus.Unshipped);
        awaitOnHand(key("AO-PEND-P"), 17);
        awaitAmazon("amz-paid", "AO-PEND-P", 17);
        staysOnHand(key("AO-PEND-P"), 17);
        assertThat(sumLedger(key("AO-PEND-P"), "sale")).isEqualTo(-3);
    }

    @Test
    void unshippedOrderBooksOnEveryStoreOnce() {
        listing("amz-paid", "AO-UNSH", 10);
        awaitOnHand(key("AO-UNSH"), 10);
        String id = order("amz-paid", OrderStatus.Unshipped, "AO-UNSH", 4);
        awaitOnHand(key("AO-UNSH"), 6);
        awaitAmazon("amz-paid", "AO-UNSH", 6);
        AMAZON.setStatus(id, OrderStatus.Shipped);
        staysOnHand(key("AO-UNSH"), 6);
        assertThat(sumLedger(key("AO-UNSH"), "sale")).isEqualTo(-4);
        awaitAmazon("amz-paid", "AO-UNSH", 6);
    }

    @Test
    void cancellationReleasesWhatWasBookedAndOnlyThat() {
        listing("amz-created", "AO-CANC-C", 20);
        listing("amz-paid", "AO-CANC-P", 20);
        listing("amz-paid", "AO-CANC-U", 20);
        awaitOnHand(key("AO-CANC-C"), 20);
        awaitOnHand(key("AO-CANC-P"), 20);
        awaitOnHand(key("AO-CANC-U"), 20);

        // Booked at Pending (book-on created), then cancelled: released.
        String booked = order("amz-created", OrderStatus.Pending, "AO-CANC-C", 4);
        awaitOnHand(key("AO-CANC-C"), 16);
        AMAZON.setStatus(booked, OrderStatus.Canceled);
        awaitOnHand(key("AO-CANC-C"), 20);
        awaitAmazon("amz-created", "AO-CANC-C", 20);
        assertThat(sumLedger(key("AO-CANC-C"), "sale")).isEqualTo(-4);
        assertThat(sumLedger(key("AO-CANC-C"), "cancel")).isEqualTo(4);

        // Never booked (Pending on a book-on paid store), then cancelled: nothing to release, and Amazon, which put
        // the units back on its own shelf, is set to Tally's level again.
        String unbooked = order("amz-paid", OrderStatus.Pending, "AO-CANC-P", 4);
        eventually(() -> assertThat(
                        inboxOutcome("amz-paid", "order/" + unbooked + "/item/" + itemId(unbooked) + "/created"))
                .startsWith("applied"));
        AMAZON.setStatus(unbooked, OrderStatus.Canceled);
        eventually(() -> assertThat(
                        inboxOutcomeCode("amz-paid", "order/" + unbooked + "/item/" + itemId(unbooked) + "/cancel"))
                .isEqualTo("applied: CANCELLED_UNBOOKED"));
        awaitAmazon("amz-paid", "AO-CANC-P", 20);
        staysOnHand(key("AO-CANC-P"), 20);
        assertThat(api.ledger(key("AO-CANC-P")).size())
                .as("only the seeding count")
                .isLessThanOrEqualTo(1);

        // Paid, then cancelled before shipping: released.
        String paid = order("amz-paid", OrderStatus.Unshipped, "AO-CANC-U", 5);
        awaitOnHand(key("AO-CANC-U"), 15);
        AMAZON.setStatus(paid, OrderStatus.Canceled);
        awaitOnHand(key("AO-CANC-U"), 20);
        awaitAmazon("amz-paid", "AO-CANC-U", 20);
        staysOnHand(key("AO-CANC-U"), 20);
    }

    @Test
    void overlappingPollsAndForgottenStateBookEachOrderOnceAndTheCursorMovesOn() {
        listing("amz-a", "AO-DUP", 50);
        awaitOnHand(key("AO-DUP"), 50);
        for (int i = 0; i < 5; i++) {
            order("amz-a", OrderStatus.Unshipped, "AO-DUP", 2);
        }
        awaitOnHand(key("AO-DUP"), 40);
        long itemCalls = AMAZON.stats(AmazonSimulator.GET_ORDER_ITEMS).calls();
        long events = inboxEvents("amz-a");
        // Every poll re-reads the overlap: nothing new is stored, and known orders cost no getOrderItems call.
        staysOnHand(key("AO-DUP"), 40);
        assertThat(inboxEvents("amz-a")).isEqualTo(events);
        assertThat(AMAZON.stats(AmazonSimulator.GET_ORDER_ITEMS).calls()).isEqualTo(itemCalls);
        Instant cursor = cursor("amz-a");
        assertThat(cursor).isAfter(Instant.now().minusSeconds(10));

        // The poller forgets everything it saw and its cursor goes back a minute: every order is read again, and the
        // inbox (business-key event ids) still books each one once.
        jdbc.update("DELETE FROM amazon_order WHERE store = 'amz-a'");
        jdbc.update(
                "UPDATE poll_cursor SET position = ? WHERE store = 'amz-a' AND feed = 'orders'",
                Instant.now().minusSeconds(60).toString());
        eventually(
                () -> assertThat(AMAZON.stats(AmazonSimulator.GET_ORDER_ITEMS).calls())
                        .isGreaterThanOrEqualTo(itemCalls + 5));
        eventually(() -> assertThat(cursor("amz-a")).isAfter(cursor));
        staysOnHand(key("AO-DUP"), 40);
        assertThat(sumLedger(key("AO-DUP"), "sale")).isEqualTo(-10);
        assertThat(inboxEvents("amz-a")).isEqualTo(events);
        awaitAmazon("amz-a", "AO-DUP", 40);
    }

    Instant cursor(String store) {
        return Instant.parse(jdbc.queryForObject(
                "SELECT position FROM poll_cursor WHERE store = ? AND feed = 'orders'", String.class, store));
    }

    String itemId(String orderId) {
        return jdbc.queryForObject(
                "SELECT items->0->>'id' FROM amazon_order WHERE order_id = ?", String.class, orderId);
    }
}
