package io.tally.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Bad input → 400 application/problem+json with a detail, nothing stored; missing/wrong token → 401. */
class BadInputTest extends ScenarioBase {

    private static final String SKU = "bad-sku";
    private static final String REF = "bad-1";

    @BeforeEach
    void item() {
        if (api.item(SKU) == null) {
            declare("main", REF, "sku", SKU, "level", 10);
        }
        awaitOnHand(SKU, 10);
    }

    private void assertProblem(TallyClient.Resp r, int status) {
        assertThat(r.status()).as("%s", r).isEqualTo(status);
        assertThat(r.contentType()).as("%s", r).startsWith("application/problem+json");
        assertThat(r.json()).as("problem body: %s", r).isNotNull();
        assertThat(r.json().path("status").asInt()).as("%s", r).isEqualTo(status);
        assertThat(r.json().path("title").asText()).as("%s", r).isNotBlank();
        if (status == 400) {
            assertThat(r.json().path("detail").asText()).as("%s", r).isNotBlank();
        }
    }

    private void assertRejected(Object body) {
        assertProblem(api.postEvent(body), 400);
    }

    private void assertNothingStored(long ledgerSize) {
        // A rejected request stored nothing: had it stored an event, the ledger would have applied it by now.
        awaitLedgerCaughtUp();
        assertThat(api.onHand(SKU)).isEqualTo(10);
        assertThat(api.ledger(SKU)).hasSize((int) ledgerSize);
    }

    @Test
    void malformedEventsAreRejectedWithAProblemAndNothingIsStored() {
        long ledgerSize = api.ledger(SKU).size();
        List<Ev> rejected = new ArrayList<>();

        assertRejected("{\"id\":\"bad-json-1\",\"store\":\"main\",\"type\":\"sale\",");
        assertRejected("not json at all");
        assertRejected("");
        assertRejected("42");

        Ev unknownType = Ev.of("teleport", "main").ref(REF).qty(1);
        Ev unknownStore = Ev.sale("no-such-store").sku(SKU).qty(1);
        Ev missingId = Ev.sale("main").ref(REF).qty(1).without("id");
        Ev blankId = Ev.sale("main").ref(REF).qty(1).id("  ");
        Ev missingStore = Ev.sale("main").ref(REF).qty(1).without("store");
        Ev missingType = Ev.sale("main").ref(REF).qty(1).without("type");
        Ev zeroSale = Ev.sale("main").ref(REF).qty(0);
        Ev negativeSale = Ev.sale("main").ref(REF).qty(-2);
        Ev missingQty = Ev.sale("main").ref(REF);
        Ev textQty = Ev.sale("main").ref(REF).with("quantity", "three");
        Ev noKey = Ev.sale("main").qty(1);
        Ev wrongChannel = Ev.sale("main").ref(REF).qty(1).channel("shopify");
        Ev negativeRestock = Ev.restock("main").ref(REF).qty(-1);
        for (Ev e : List.of(
                unknownType,
                unknownStore,
                missingId,
                blankId,
                missingStore,
                missingType,
                zeroSale,
                negativeSale,
                missingQty,
                textQty,
                noKey,
                wrongChannel,
                negativeRestock)) {
            TallyClient.Resp r = api.postEvent(e);
            assertThat(r.status()).as("%s -> %s", e, r).isEqualTo(400);
            assertProblem(r, 400);
            rejected.add(e);
        }

        // one invalid element → the whole array is rejected, the valid one is not stored
        Ev valid = Ev.restock("main").ref(REF).qty(1);
        assertRejected(List.of(valid, Ev.sale("main").ref(REF).qty(0)));
        assertRejected(List.of(valid, "oops"));

        assertNothingStored(ledgerSize);
        java.util.Set<String> stored = new java.util.HashSet<>();
        for (String status : List.of("pending", "parked", "waiting", "rejected", "applied")) {
            for (JsonNode ev : api.events(status)) {
                stored.add(ev.path("id").asText());
            }
        }
        for (Ev e : rejected) {
            // a request answered 400 leaves no inbox row
            assertThat(stored).as("stored events").doesNotContain(e.id());
        }
        assertThat(stored).doesNotContain(valid.id());
        // the valid element was not stored: sending it now is accepted, not a duplicate
        api.accepted(valid);
        awaitOnHand(SKU, 11);
        api.accepted(Ev.sale("main").ref(REF).qty(1));
        awaitOnHand(SKU, 10);
    }

    @Test
    void oversizeBodyIsRejected() {
        long ledgerSize = api.ledger(SKU).size();
        List<Ev> many = new ArrayList<>();
        int size = 2;
        while (size < 1_150_000) {
            Ev e = Ev.restock("main").ref(REF).qty(1); // valid events only: the size alone must be refused
            many.add(e);
            size += TallyClient.toJson(e).length() + 1;
        }
        assertRejected(many);
        assertNothingStored(ledgerSize);
        // nothing of it was stored: its first element is accepted, not a duplicate
        TallyClient.Resp r = api.postEvent(many.get(0));
        assertThat(r.status()).as("%s", r).isEqualTo(202);
        awaitOnHand(SKU, 11);
        api.accepted(Ev.sale("main").ref(REF).qty(1));
        awaitOnHand(SKU, 10);
    }

    @Test
    void eventsPathAnswersOnlyItsMethods() {
        Ev e = Ev.sale("main").ref(REF).qty(1);
        // POST is served by the route directly; other methods and near-miss paths still get Spring MVC's answers
        assertThat(api.send("PUT", "/api/events", e).status()).isEqualTo(405);
        assertThat(api.send("DELETE", "/api/events", null).status()).isEqualTo(405);
        assertThat(api.send("POST", "/api/events/", e).status()).isEqualTo(404);
        assertNothingStored(api.ledger(SKU).size());
        api.accepted(e);
        awaitOnHand(SKU, 9);
        api.accepted(Ev.restock("main").ref(REF).qty(1));
        awaitOnHand(SKU, 10);
    }

    @Test
    void missingOrWrongTokenIs401() {
        Ev e = Ev.sale("main").ref(REF).qty(1);
        assertProblem(api.send("POST", "/api/events", e, null), 401);
        assertProblem(api.send("POST", "/api/events", e, "wrong-token"), 401);
        assertProblem(api.send("GET", "/api/items/" + SKU, null, null), 401);
        assertProblem(api.send("GET", "/api/listings?store=main", null, "wrong-token"), 401);
        assertProblem(api.send("PUT", "/api/items/" + SKU + "/on-hand", Map.of("onHand", 0, "reason", "x"), null), 401);
        assertProblem(api.send("GET", "/api/dead-letters", null, "Bearer"), 401);
        assertNothingStored(api.ledger(SKU).size());
        // the event was not stored: it is accepted now with the right token
        api.accepted(e);
        awaitOnHand(SKU, 9);
        api.accepted(Ev.restock("main").ref(REF).qty(1));
        awaitOnHand(SKU, 10);
    }

    @Test
    void unknownItemIs404Problem() {
        assertProblem(api.get("/api/items/no-such-item-xyz"), 404);
        assertProblem(api.post("/api/items/no-such-item-xyz/adjustments", Map.of("delta", 1, "reason", "x")), 404);
    }

    @Test
    void manualAdjustmentAndOnHandEndpoints() {
        String sku = "bad-manual";
        declare("main", "bm-1", "sku", sku, "level", 10);
        awaitOnHand(sku, 10);
        TallyClient.Resp r = api.post(
                "/api/items/" + sku + "/adjustments",
                Map.of("delta", -3, "reason", "damaged", "reference", "ticket-1"));
        assertThat(r.status()).as("%s", r).isEqualTo(200);
        assertThat(r.json().path("onHand").asLong()).isEqualTo(7);
        awaitPushed("main", "bm-1", 7);
        r = api.put("/api/items/" + sku + "/on-hand", Map.of("onHand", 40, "reason", "stocktake"));
        assertThat(r.status()).as("%s", r).isEqualTo(200);
        assertThat(r.json().path("onHand").asLong()).isEqualTo(40);
        awaitPushed("main", "bm-1", 40);
        JsonNode newest = api.ledger(sku).get(0);
        assertThat(newest.path("kind").asText()).isEqualTo("count");
        assertThat(newest.path("delta").asLong()).isEqualTo(33);
        assertLedgerConsistent(sku);
    }
}
