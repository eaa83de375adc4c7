package io.tally.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** README "Seeding": a new item's on-hand comes from the master listing, else a source's level, else a peer's. */
class SeedingScenarioTest extends ScenarioBase {

    @Test
    void aSourceLinkedAfterAPeerReseedsTheItem() {
        String sku = "seed-peer-then-source";
        declare("main", sku + "-peer", "sku", sku, "level", 7);
        awaitOnHand(sku, 7);
        declare("src", sku + "-src", "sku", sku, "level", 100);
        awaitOnHand(sku, 100);
        awaitPushed("main", sku + "-peer", 100);
        assertThat(api.ledger(sku))
                .as("only seeds were booked")
                .allSatisfy(e -> assertThat(e.path("kind").asText()).isEqualTo("count"));
    }

    @Test
    void aPeerLinkedAfterASourceDoesNotReseedTheItem() {
        String sku = "seed-source-then-peer";
        declare("src", sku + "-src", "sku", sku, "level", 60);
        awaitOnHand(sku, 60);
        declare("main", sku + "-peer", "sku", sku, "level", 9);
        awaitPushed("main", sku + "-peer", 60);
        assertThat(api.onHand(sku)).isEqualTo(60);
    }

    @Test
    void theMasterOutranksASourceLinkedBeforeIt() {
        String sku = "seed-source-then-master";
        declare("src", sku + "-src", "sku", sku, "level", 60);
        awaitOnHand(sku, 60);
        declare("main", sku + "-master", "sku", sku, "master", true, "level", 80);
        awaitOnHand(sku, 80);
        awaitPushed("src", sku + "-src", 80);
    }
}
