package io.tally.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** List endpoints come in keyset pages: limit, after and a Link rel="next" header until the last page. */
class PagedListsScenarioTest extends ScenarioBase {

    static final String STORE = "inv-b";
    static final int COUNT = 230;
    static final int PAGE = 100;

    @Test
    void listingsAndItemsAreWalkedPageByPageEachRowOnceInOrder() throws Exception {
        // 230 listings through the API, a few at a time: three pages of 100 (the limit's bounds are checked below).
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int i = 0; i < COUNT; i++) {
                String ref = String.format("pg-%05d", i);
                done.add(pool.submit(() -> api.declare(STORE, ref, Map.of("sku", ref, "level", 3))));
            }
            for (Future<?> f : done) {
                f.get();
            }
        } finally {
            pool.shutdown();
        }

        // Listings of one store: pages of 100, 100 and the rest, by ref, each once.
        List<String> refs = new ArrayList<>();
        int pages = 0;
        for (String p = "/api/listings?store=" + STORE + "&limit=" + PAGE; p != null; pages++) {
            TallyClient.Resp r = api.get(p);
            assertThat(r.status()).as("GET %s -> %s", p, r).isEqualTo(200);
            assertThat(r.json().isArray()).isTrue();
            assertThat(r.json().size()).isLessThanOrEqualTo(PAGE);
            r.json().forEach(l -> {
                assertThat(l.path("store").asText()).isEqualTo(STORE);
                refs.add(l.path("ref").asText());
            });
            p = r.next();
            if (p != null) {
                assertThat(r.json().size()).as("a page before the last is full").isEqualTo(PAGE);
            }
        }
        List<String> mine = refs.stream().filter(s -> s.startsWith("pg-")).toList();
        assertThat(mine).hasSize(COUNT);
        assertThat(new HashSet<>(refs)).as("no duplicates").hasSize(refs.size());
        assertThat(refs).as("by ref").isSorted();
        assertThat(pages).isEqualTo((refs.size() + PAGE - 1) / PAGE);

        // Items: the whole walk holds each item once, oversold then out of sync first, then by key.
        List<JsonNode> items = new ArrayList<>();
        api.all("/api/items?limit=500").forEach(items::add);
        Set<String> keys = new HashSet<>();
        for (int i = 0; i < items.size(); i++) {
            JsonNode it = items.get(i);
            assertThat(keys.add(it.path("key").asText())).as("item %s once", it).isTrue();
            if (i > 0) {
                JsonNode prev = items.get(i - 1);
                int c = Boolean.compare(
                        prev.path("oversold").asBoolean(), it.path("oversold").asBoolean());
                if (c == 0) {
                    c = Long.compare(
                            prev.path("outOfSync").asLong(),
                            it.path("outOfSync").asLong());
                }
                if (c == 0) {
                    c = it.path("key").asText().compareTo(prev.path("key").asText());
                }
                assertThat(c).as("%s before %s", prev, it).isPositive();
            }
        }
        for (String ref : mine) {
            assertThat(keys).contains(ref);
        }

        // Bad input: a reason in problem+json.
        for (String bad : new String[] {
            "/api/listings?limit=0",
            "/api/listings?limit=1001",
            "/api/listings?after=%21%21not-a-cursor",
            "/api/listings?after=" + java.util.Base64.getUrlEncoder().encodeToString("one-field".getBytes()),
            "/api/items?limit=5000",
            "/api/items?after=bm9wZQ"
        }) {
            TallyClient.Resp r = api.get(bad);
            assertThat(r.status()).as("%s -> %s", bad, r).isEqualTo(400);
            assertThat(r.contentType()).startsWith("application/problem+json");
            assertThat(r.json().path("detail").asText())
                    .as("reason for %s", bad)
                    .matches(".*(limit|after).*");
        }
        assertThat(api.get("/api/listings?store=" + STORE + "&limit=1000&after=" + lastCursor())
                        .json())
                .isEmpty();
    }

    /** The cursor of the store's last listing: its next page is empty and has no Link. */
    private String lastCursor() {
        String p = "/api/listings?store=" + STORE + "&limit=1000";
        String last = null;
        while (p != null) {
            TallyClient.Resp r = api.get(p);
            JsonNode rows = r.json();
            JsonNode l = rows.get(rows.size() - 1);
            last = java.util.Base64.getUrlEncoder()
                    .withoutPadding()
                    .encodeToString(
                            (l.path("store").asText() + "\u0000" + l.path("ref").asText()).getBytes());
            p = r.next();
        }
        return last;
    }

    @org.springframework.beans.factory.annotation.Autowired
    org.springframework.jdbc.core.JdbcTemplate jdbc;

    /** Dead letters, reconciliation runs and alerts: newest first, pages continued "before" the last id shown. */
    @Test
    void historiesArePagedNewestFirstBeforeTheLastIdShown() {
        JsonNode listing = api.declare(STORE, "hist-paging", Map.of("sku", "hist-paging"));
        long listingId = jdbc.queryForObject(
                "SELECT id FROM listing WHERE store = ? AND ref = ?", Long.class, STORE, "hist-paging");
        List<Long> letters = new ArrayList<>();
        List<Long> runs = new ArrayList<>();
        try {
            for (int i = 0; i < 5; i++) {
                // Resolved ones: only one dead letter per listing may be open.
                letters.add(jdbc.queryForObject("""
                        INSERT INTO dead_letter (listing_id, store, ref, level, error, attempts, status)
                        VALUES (?, ?, 'hist-paging', 1, 'paging test', 1, 'resolved') RETURNING id
                        """, Long.class, listingId, STORE));
                runs.add(jdbc.queryForObject("""
                        INSERT INTO reconciliation (store, trigger, finished_at) VALUES ('pg-runs', 'paging-test', now())
                        RETURNING id
                        """, Long.class));
            }
            List<Long> seen = new ArrayList<>();
            int pages = 0;
            for (String p = "/api/dead-letters?status=resolved&limit=2"; p != null; pages++) {
                TallyClient.Resp r = api.get(p);
                assertThat(r.status()).as("%s -> %s", p, r).isEqualTo(200);
                assertThat(r.json().size()).isLessThanOrEqualTo(2);
                r.json().forEach(d -> seen.add(d.path("id").asLong()));
                p = r.next();
            }
            assertThat(seen).as("newest first, each once").isSortedAccordingTo(java.util.Comparator.reverseOrder());
            assertThat(seen).doesNotHaveDuplicates().containsAll(letters);
            assertThat(pages).isGreaterThanOrEqualTo(3);

            List<Long> runsSeen = new ArrayList<>();
            for (String p = "/api/reconciliations?store=pg-runs&limit=2"; p != null; ) {
                TallyClient.Resp r = api.get(p);
                assertThat(r.status()).as("%s -> %s", p, r).isEqualTo(200);
                r.json().path("runs").forEach(run -> runsSeen.add(run.path("id").asLong()));
                p = r.next();
            }
            List<Long> newestFirst = new ArrayList<>(runs);
            java.util.Collections.reverse(newestFirst);
            assertThat(runsSeen).isEqualTo(newestFirst);

            List<Long> alerts = new ArrayList<>();
            api.all("/api/alerts?limit=1").forEach(a -> alerts.add(a.path("id").asLong()));
            assertThat(alerts)
                    .isSortedAccordingTo(java.util.Comparator.reverseOrder())
                    .doesNotHaveDuplicates();

            for (String bad : new String[] {
                "/api/dead-letters?limit=0",
                "/api/alerts?limit=1001",
                "/api/reconciliations?limit=5000",
                "/api/dead-letters?before=x"
            }) {
                assertThat(api.get(bad).status()).as(bad).isEqualTo(400);
            }
        } finally {
            jdbc.update("DELETE FROM dead_letter WHERE listing_id = ?", listingId);
            jdbc.update("DELETE FROM reconciliation WHERE trigger = 'paging-test'");
        }
        assertThat(listing).isNotNull();
    }

    /** The "SKU missing on channel" report of a store: items with no listing there, paged, with where they are listed. */
    @Test
    void aStoresMissingSkuReportListsItemsItHasNoListingFor() {
        api.declare("inv-a", "ms-listed-both", Map.of("sku", "ms-both", "level", 5));
        api.declare("inv-c", "ms-listed-both", Map.of("sku", "ms-both"));
        api.declare("inv-a", "ms-listed-a", Map.of("sku", "ms-only-a", "level", 2));
        api.declare("inv-b", "ms-listed-b", Map.of("sku", "ms-only-a"));
        assertThat(api.put("/api/items/ms-counted/on-hand", Map.of("onHand", 4, "reason", "first count"))
                        .status())
                .isEqualTo(200);

        // Pages of 7 so the walk follows Link over several pages; only this test's items are looked at.
        Map<String, JsonNode> missing = new java.util.TreeMap<>();
        api.all("/api/stores/inv-c/missing-skus?limit=7").forEach(row -> {
            assertThat(row.path("store").asText()).isEqualTo("inv-c");
            assertThat(missing.put(row.path("itemKey").asText(), row))
                    .as("once: %s", row)
                    .isNull();
        });
        assertThat(missing).doesNotContainKey("ms-both");
        assertThat(missing.get("ms-only-a").path("listedOn").toString()).isEqualTo("[\"inv-a\",\"inv-b\"]");
        assertThat(missing.get("ms-only-a").path("onHand").asLong()).isEqualTo(2);
        assertThat(missing.get("ms-counted").path("listedOn").toString()).isEqualTo("[]");
        assertThat(missing.get("ms-counted").path("onHand").asLong()).isEqualTo(4);
        assertThat(new ArrayList<>(missing.keySet())).as("by item key").isSorted();

        TallyClient.Resp unknown = api.get("/api/stores/no-such-store/missing-skus");
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.json().path("detail").asText()).contains("no-such-store");
        TallyClient.Resp bad = api.get("/api/stores/inv-c/missing-skus?limit=0");
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.json().path("detail").asText()).contains("limit");
    }
}
