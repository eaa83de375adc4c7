package io.tally.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Events for a SKU nobody lists are parked, and applied once a listing declares the SKU. */
class ParkedScenarioTest extends ScenarioBase {

    @Test
    void eventsForAnUnlistedSkuAreParkedThenAppliedWhenTheSkuIsDeclared() {
        String sku = "parked-sku";
        String saleId = api.accepted(Ev.sale("main").sku(sku).qty(2).order("pk-o1", "l1"));
        String restockId = api.accepted(Ev.restock("main").sku(sku).qty(5));
        eventually(() -> {
            assertThat(api.hasEvent("parked", saleId)).as("sale parked").isTrue();
            assertThat(api.hasEvent("parked", restockId)).as("restock parked").isTrue();
        });
        assertThat(api.item(sku)).as("no stock item yet").isNull();

        declare("main", "pk-1", "sku", sku, "level", 20);
        declare("main", "pk-2", "sku", sku);
        awaitOnHand(sku, 23); // seeded 20, then -2 +5
        eventually(() -> {
            assertThat(api.hasEvent("parked", saleId)).isFalse();
            assertThat(api.hasEvent("applied", saleId)).isTrue();
            assertThat(api.hasEvent("applied", restockId)).isTrue();
        });
        awaitPushed("main", "pk-1", 23);
        awaitPushed("main", "pk-2", 23);
        assertLedgerConsistent(sku);
    }
}
