package io.tally.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tally.event.CanonicalEvent;
import io.tally.event.EventType;
import io.tally.event.InboxWriter;
import io.tally.event.InvalidEventException;
import io.tally.event.KeyKind;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Issue 17 defect 0, intake: bad input that got in (fractional quantities, trailing garbage, wrong types, a
 * quantity of -2^63), ids with invisible or control characters and over-long keys that stayed pending for good, and
 * one request the database refuses failing the valid requests it shared a group commit with.
 */
class IntakeStrictnessTest extends ScenarioBase {

    private static final String SKU = "strict-sku";
    private static final String REF = "strict-1";

    @Autowired
    InboxWriter inboxWriter;

    @BeforeEach
    void item() {
        if (api.item(SKU) == null) {
            declare("main", REF, "sku", SKU, "level", 500);
        }
        awaitOnHand(SKU, 500);
    }

    private void assertRefused(TallyClient.Resp r, String what) {
        assertThat(r.status()).as("%s -> %s", what, r).isEqualTo(400);
        assertThat(r.contentType()).as("%s -> %s", what, r).startsWith("application/problem+json");
        assertThat(r.json().path("detail").asText()).as("%s -> %s", what, r).isNotBlank();
    }

    private String sale(String quantity) {
        return "{\"id\":\"" + UUID.randomUUID() + "\",\"store\":\"main\",\"type\":\"sale\",\"ref\":\"" + REF
                + "\",\"quantity\":" + quantity + "}";
    }

    @Test
    void wrongTypesFractionsTrailingContentAndHugeNumbersAreRefused() {
        long ledgerSize = api.ledger(SKU).size();
        String item = "/api/items/" + SKU;
        Map<String, String> adminBodies = new java.util.LinkedHashMap<>();
        adminBodies.put(item + "/adjustments", "{\"delta\":2.5}");
        adminBodies.put(item + "/adjustments ", "{\"delta\":\"3\"}");
        adminBodies.put(item + "/adjustments  ", "{\"delta\":-9223372036854775808}");
        adminBodies.put(item + "/adjustments   ", "{\"delta\":3}garbage");
        adminBodies.put(item + "/adjustments    ", "{\"delta\":3,\"reason\":42}");
        adminBodies.put(item + "/adjustments     ", "{\"delta\":3,\"delta\":4}");
        adminBodies.put(item + "/adjustments      ", "{\"delta\":3,\"reson\":\"typo\"}");
        adminBodies.put(item + "/on-hand", "{\"onHand\":2.5}");
        adminBodies.put(item + "/on-hand ", "{\"onHand\":\"777\"}");
        adminBodies.put(item + "/on-hand  ", "{\"onHand\":777}{}");
        adminBodies.put(item + "/on-hand   ", "{\"onHand\":9223372036854775807}");
        adminBodies.put(item + "/on-hand    ", "{\"onHand\":[777]}");
        adminBodies.put(item + "/on-hand     ", "null");
        for (var e : adminBodies.entrySet()) {
            String path = e.getKey().trim();
            String method = path.endsWith("on-hand") ? "PUT" : "POST";
            TallyClient.Resp r = api.send(method, path, e.getValue());
            assertRefused(r, method + " " + path + " " + e.getValue());
            assertThat(r.body()).doesNotContain("io.tally", "java.", "Exception");
        }
        for (String quantity : List.of(
                "1.5",
                "2.0",
                "1e0",
                "\"1\"",
                "true",
                "[1]",
                "{\"n\":1}",
                "-9223372036854775808",
                "9223372036854775807",
                "1000000001")) {
            assertRefused(api.postEvent(sale(quantity)), "sale of " + quantity);
        }
        assertRefused(api.postEvent(sale("1") + "garbage"), "trailing garbage");
        assertRefused(api.postEvent(sale("1") + sale("1")), "two objects");
        assertRefused(api.postEvent(sale("1").replace("\"id\":", "\"id\":123,\"x\":")), "number id");
        assertRefused(api.postEvent(sale("1").replace("\"ref\":\"" + REF + "\"", "\"ref\":1")), "number ref");
        assertRefused(api.postEvent(sale("1").replace("}", ",\"orderId\":42}")), "number orderId");
        assertRefused(api.postEvent(sale("1").replace("}", ",\"orderId\":\"o\",\"orderId\":\"p\"}")), "twice");
        assertRefused(
                api.postEvent(sale("1").replace("}", ",\"occurredAt\":\"+999999-01-01T00:00:00Z\"}")), "year 999999");
        // A refused request stored nothing: had it stored an event, the ledger would have applied it by now.
        awaitLedgerCaughtUp();
        assertThat(api.onHand(SKU)).isEqualTo(500);
        assertThat(api.ledger(SKU)).hasSize((int) ledgerSize);
    }

    @Test
    void idsWithInvisibleOrControlCharactersOrOverlongKeysAreRefusedAndNothingStaysPending() {
        List<String> ids = new ArrayList<>();
        for (String bad : List.of(
                "\uFEFF", "\u200F", "\u202E", "\u200B", "\u0007", "\u0000", "\n", "\u0085",
                "\u2028")) { // a lone surrogate cannot travel as UTF-8: the campaign sends it escaped
            for (String field : List.of("id", "orderId", "lineId", "ref")) {
                Ev e = Ev.sale("main").ref(REF).qty(1);
                String id = e.id();
                switch (field) {
                    case "id" -> e.id(id + bad);
                    case "orderId" -> e.with("orderId", "order" + bad + "1");
                    case "lineId" -> e.with("orderId", "order-1").with("lineId", bad + "1");
                    default -> e.ref(REF + bad);
                }
                ids.add(e.id());
                assertRefused(api.postEvent(e), field + " with U+" + Integer.toHexString(bad.charAt(0)));
            }
        }
        Ev longKey = Ev.sale("main").sku("k".repeat(256)).qty(1);
        Ev hugeKey = Ev.sale("main").sku("\u00e9".repeat(3000)).qty(1);
        Ev longOrder = Ev.sale("main").ref(REF).qty(1).with("orderId", "o".repeat(201));
        for (Ev e : List.of(longKey, hugeKey, longOrder)) {
            ids.add(e.id());
            assertRefused(api.postEvent(e), "long key or id");
        }
        // The limits themselves are fine: a 255-character unknown key is parked, not pending for good.
        Ev longest = Ev.sale("main").sku("k".repeat(255)).qty(1);
        api.accepted(longest);
        eventually(() -> assertThat(api.hasEvent("parked", longest.id())).isTrue());
        assertThat(api.onHand(SKU)).isEqualTo(500);
        for (JsonNode e : api.events("pending")) {
            assertThat(ids).doesNotContain(e.path("id").asText());
        }
    }

    @Test
    void aRequestTheDatabaseRefusesFailsAloneNotTheOthersInItsGroupCommit() throws Exception {
        int senders = 8;
        int perSender = 15;
        ExecutorService pool = Executors.newFixedThreadPool(senders + 2);
        try {
            List<Future<List<Integer>>> valid = new ArrayList<>();
            for (int s = 0; s < senders; s++) {
                valid.add(pool.submit(() -> {
                    List<Integer> statuses = new ArrayList<>();
                    for (int i = 0; i < perSender; i++) {
                        statuses.add(api.postEvent(Ev.restock("main").ref(REF).qty(1))
                                .status());
                    }
                    return statuses;
                }));
            }
            List<Future<List<Integer>>> poisoned = new ArrayList<>();
            for (int s = 0; s < 2; s++) {
                poisoned.add(pool.submit(() -> {
                    List<Integer> statuses = new ArrayList<>();
                    for (int i = 0; i < perSender; i++) {
                        // A NUL in text (PostgreSQL refuses it) and a key over the btree entry limit.
                        Ev nul = Ev.restock("main").ref(REF).qty(1).with("orderId", "o\u0000" + i);
                        Ev huge = Ev.restock("main")
                                .sku("x".repeat(3000) + UUID.randomUUID())
                                .qty(1);
                        statuses.add(api.postEvent(i % 2 == 0 ? nul : huge).status());
                    }
                    return statuses;
                }));
            }
            for (Future<List<Integer>> f : valid) {
                assertThat(f.get()).as("valid requests").containsOnly(202);
            }
            for (Future<List<Integer>> f : poisoned) {
                assertThat(f.get()).as("poisoned requests").containsOnly(400);
            }
        } finally {
            pool.shutdownNow();
        }
        awaitOnHand(SKU, 500 + senders * perSender);
        assertLedgerConsistent(SKU);
        api.accepted(Ev.adjust("main").ref(REF).qty(-senders * perSender));
        awaitOnHand(SKU, 500);
    }

    /**
     * The group commit itself, below the intake checks: events a connector mapped (they skip the events API's
     * parser) whose payload PostgreSQL refuses, written together with valid ones. Only the refused request fails,
     * with a 4xx reason; the others are stored.
     */
    @Test
    void theGroupCommitIsolatesTheRequestThePostgresRefuses() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(12);
        try {
            List<Future<Object>> valid = new ArrayList<>();
            List<Future<Object>> refused = new ArrayList<>();
            for (int round = 0; round < 10; round++) {
                for (int i = 0; i < 10; i++) {
                    valid.add(pool.submit(write("{\"ok\":true}")));
                }
                refused.add(pool.submit(write("{\"bad\":\"\\u0000\"}")));
            }
            for (Future<Object> f : valid) {
                assertThat(f.get()).as("valid request").isInstanceOf(List.class);
            }
            for (Future<Object> f : refused) {
                assertThat(f.get()).as("refused request").isInstanceOf(InvalidEventException.class);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private Callable<Object> write(String payload) {
        return () -> {
            CanonicalEvent event = new CanonicalEvent(
                    "group-" + UUID.randomUUID(),
                    "http",
                    "main",
                    EventType.SALE,
                    KeyKind.SKU,
                    "group-unknown-" + UUID.randomUUID(),
                    1,
                    null,
                    null,
                    null,
                    null,
                    null,
                    payload);
            try {
                return inboxWriter.write(List.of(event));
            } catch (RuntimeException e) {
                return e;
            }
        };
    }
}
