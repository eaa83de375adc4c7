package io.tally.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * 16 threads post ~5,000 random sales, cancels, restocks and adjustments over 50 items (20 % of the
 * posts are re-sent duplicates, some cancels/restocks precede their sale). Afterwards every item's
 * onHand equals seed + the distinct effective deltas of the test's own model, the ledger sums to
 * onHand, and every non-hidden listing was pushed its target.
 *
 * <p>The model is exact whatever the arrival order: for each order line the returns that apply add
 * min(Σ requested, booked), which is what greedy per-event capping gives in any order.
 */
class InvariantTest extends ScenarioBase {

    private static final int ITEMS = 50;
    private static final int THREADS = 16;
    private static final int POSTS = 5000;
    private static final String[] STORES = {"inv-a", "inv-b", "inv-c"};

    /** One POST: a single event or an array; duplicate = a re-send of an earlier post of the same thread. */
    private record Post(Object body, boolean duplicate) {}

    private static final class Item {
        final String sku;
        final long seed;
        long expected;
        final Map<String, List<String>> refs = new LinkedHashMap<>(); // store -> non-hidden refs
        final List<String[]> hidden = new ArrayList<>(); // {store, ref}

        Item(String sku, long seed) {
            this.sku = sku;
            this.seed = seed;
            this.expected = seed;
        }
    }

    private final Random rnd = new Random(0x7A11L);
    private final List<Item> items = new ArrayList<>();
    /** Every generated event by id (for diagnostics). */
    private final Map<String, Ev> byId = new HashMap<>();

    @Test
    void concurrentRandomEventsConvergeToTheModel() throws Exception {
        declareItems();
        List<List<Post>> perThread = generate();
        int posts = perThread.stream().mapToInt(List::size).sum();
        assertThat(posts).isGreaterThanOrEqualTo(POSTS);

        ConcurrentLinkedQueue<String> errors = new ConcurrentLinkedQueue<>();
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        long t0 = System.nanoTime();
        try {
            List<Future<?>> fs = new ArrayList<>();
            for (List<Post> list : perThread) {
                fs.add(pool.submit(() -> run(list, errors)));
            }
            for (Future<?> f : fs) {
                f.get(5, TimeUnit.MINUTES);
            }
        } finally {
            pool.shutdownNow();
        }
        long postMs = (System.nanoTime() - t0) / 1_000_000;
        System.out.printf("InvariantTest: %d posts by %d threads in %d ms%n", posts, THREADS, postMs);
        assertThat(errors).as("unexpected answers (first ones)").isEmpty();

        // everything applied: nothing of ours pending/waiting/parked
        List<String> open = new ArrayList<>();
        try {
            waiting().untilAsserted(() -> {
                open.clear();
                for (String status : List.of("pending", "waiting", "parked")) {
                    for (JsonNode e : api.events(status)) {
                        String id = e.path("id").asText();
                        if (e.path("store").asText().startsWith("inv-")) {
                            open.add(status + ":" + id);
                        }
                    }
                }
                assertThat(open).as("events not applied yet (%d)", open.size()).isEmpty();
            });
        } catch (AssertionError | RuntimeException e) {
            System.out.println("InvariantTest: " + open.size() + " events still open, e.g.:");
            open.stream().limit(15).forEach(o -> {
                Ev ev = byId.get(o.substring(o.indexOf(':') + 1));
                String line = ev == null || ev.map().get("orderId") == null
                        ? null
                        : ev.map().get("store") + "/" + ev.map().get("orderId") + "/"
                                + ev.map().get("lineId");
                List<String> sameLine = new ArrayList<>();
                if (line != null) {
                    byId.values().stream()
                            .filter(x -> line.equals(x.map().get("store") + "/"
                                    + x.map().get("orderId") + "/" + x.map().get("lineId")))
                            .forEach(x -> sameLine.add(x.map().toString()));
                }
                System.out.println("  " + o + " " + ev + "\n      line events: " + sameLine);
            });
            throw e;
        }
        System.out.printf(
                "InvariantTest: all applied %d ms after the first post%n", (System.nanoTime() - t0) / 1_000_000);

        // on-hand and ledger
        List<String> wrong = new ArrayList<>();
        for (Item it : items) {
            JsonNode item = api.item(it.sku);
            long onHand = item.path("onHand").asLong();
            if (onHand != it.expected) {
                wrong.add(it.sku + ": onHand " + onHand + " expected " + it.expected);
            }
            JsonNode ledger = api.ledger(it.sku);
            long sum = 0;
            Set<String> eventIds = new HashSet<>();
            for (JsonNode e : ledger) {
                sum += e.path("delta").asLong();
                String eid = e.path("eventId").isNull() ? "" : e.path("eventId").asText();
                if (!eid.isEmpty() && !eventIds.add(eid)) {
                    wrong.add(it.sku + ": event " + eid + " booked twice in the ledger");
                }
            }
            if (sum != onHand) {
                wrong.add(it.sku + ": ledger sums to " + sum + " but onHand is " + onHand);
            }
            if (item.path("oversold").asBoolean() != (onHand < 0)) {
                wrong.add(it.sku + ": oversold flag " + item.path("oversold") + " with onHand " + onHand);
            }
        }
        assertThat(wrong).as("items that differ from the model").isEmpty();

        // pushes: every non-hidden listing was pushed its target; hidden ones never
        waiting().untilAsserted(() -> {
            List<String> off = new ArrayList<>();
            Map<String, JsonNode> listings = new HashMap<>();
            for (String s : STORES) {
                for (JsonNode l : api.listings(s)) {
                    listings.put(s + "/" + l.path("ref").asText(), l);
                }
            }
            for (Item it : items) {
                long target = Math.max(0, it.expected);
                for (Map.Entry<String, List<String>> e : it.refs.entrySet()) {
                    for (String ref : e.getValue()) {
                        JsonNode l = listings.get(e.getKey() + "/" + ref);
                        Integer simLevel = SIM.level(e.getKey(), ref);
                        if (l == null
                                || l.path("target").asLong() != target
                                || l.path("lastPushed").isNull()
                                || l.path("lastPushed").asLong() != target
                                || simLevel == null
                                || simLevel != target) {
                            off.add(e.getKey() + "/" + ref + " expected " + target + " listing " + l + " channel "
                                    + simLevel);
                        }
                    }
                }
                for (String[] h : it.hidden) {
                    if (SIM.attempts(h[0], h[1]) != 0) {
                        off.add("hidden " + h[0] + "/" + h[1] + " was pushed");
                    }
                }
            }
            assertThat(off).as("listings not converged (%d)", off.size()).isEmpty();
        });
        System.out.printf(
                "InvariantTest: converged %d ms after the first post%n", (System.nanoTime() - t0) / 1_000_000);
    }

    // ------------------------------------------------------------------ setup

    private void declareItems() {
        for (int i = 0; i < ITEMS; i++) {
            Item it = new Item(String.format("inv-sku-%02d", i), 300 + 10L * i);
            String p = String.format("inv%02d", i);
            declare("inv-a", p + "-a", "sku", it.sku, "master", true, "level", it.seed);
            it.refs.computeIfAbsent("inv-a", k -> new ArrayList<>()).add(p + "-a");
            declare("inv-b", p + "-b", "sku", it.sku);
            it.refs.computeIfAbsent("inv-b", k -> new ArrayList<>()).add(p + "-b");
            if (i % 2 == 0) {
                declare("inv-c", p + "-c", "sku", it.sku);
                it.refs.computeIfAbsent("inv-c", k -> new ArrayList<>()).add(p + "-c");
            }
            if (i % 3 == 0) {
                declare("inv-a", p + "-a2", "sku", it.sku);
                it.refs.get("inv-a").add(p + "-a2");
            }
            if (i % 5 == 0) {
                declare("inv-b", p + "-h", "sku", it.sku, "hidden", true);
                it.hidden.add(new String[] {"inv-b", p + "-h"});
            }
            items.add(it);
        }
        waiting().untilAsserted(() -> {
            for (Item it : items) {
                assertThat(api.onHand(it.sku)).as("seed of %s", it.sku).isEqualTo(it.seed);
            }
        });
    }

    // ------------------------------------------------------------------ generation + model

    private List<List<Post>> generate() {
        List<List<Post>> perThread = new ArrayList<>();
        List<List<Post>> originals = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            perThread.add(new ArrayList<>());
            originals.add(new ArrayList<>());
        }
        int total = 0;
        int orderNo = 0;
        while (total < POSTS) {
            int t = rnd.nextInt(THREADS);
            List<Post> script;
            double p = rnd.nextDouble();
            if (p < 0.55) {
                script = order("inv-o" + (orderNo++));
            } else if (p < 0.75) {
                script = plainRestock();
            } else {
                script = adjust(randomItem(), 0);
            }
            for (Post post : script) {
                perThread.get(t).add(post);
                originals.get(t).add(post);
                total++;
                if (rnd.nextDouble() < 0.25) {
                    List<Post> sent = originals.get(t);
                    Post again = sent.get(rnd.nextInt(sent.size()));
                    perThread.get(t).add(new Post(again.body(), true));
                    total++;
                }
            }
        }
        // every item must end away from its seed, so that every listing needs a push
        int t = 0;
        for (Item it : items) {
            if (it.expected == it.seed) {
                perThread.get(t++ % THREADS).addAll(adjust(it, 1));
            }
        }
        return perThread;
    }

    private Ev track(Ev e) {
        byId.put(e.id(), e);
        return e;
    }

    private Item randomItem() {
        return items.get(rnd.nextInt(items.size()));
    }

    private String randomStoreOf(Item it) {
        List<String> stores = new ArrayList<>(it.refs.keySet());
        return stores.get(rnd.nextInt(stores.size()));
    }

    private List<Post> order(String orderId) {
        String store = STORES[rnd.nextInt(STORES.length)];
        List<Item> candidates =
                items.stream().filter(i -> i.refs.containsKey(store)).toList();
        int lines = 1 + rnd.nextInt(2);
        List<Item> lineItems = new ArrayList<>();
        while (lineItems.size() < lines) {
            Item it = candidates.get(rnd.nextInt(candidates.size()));
            if (!lineItems.contains(it)) {
                lineItems.add(it);
            }
        }
        List<Ev> sales = new ArrayList<>();
        long[] booked = new long[lines];
        long[] returned = new long[lines];
        for (int l = 0; l < lines; l++) {
            booked[l] = 1 + rnd.nextInt(3);
            sales.add(track(
                    Ev.sale(store).sku(lineItems.get(l).sku).qty(booked[l]).order(orderId, "L" + l)));
            lineItems.get(l).expected -= booked[l];
        }
        List<Post> script = new ArrayList<>();
        if (lines == 2 && rnd.nextDouble() < 0.3) {
            script.add(new Post(List.of(sales.get(0), sales.get(1)), false));
        } else {
            for (Ev s : sales) {
                script.add(new Post(s, false));
            }
        }
        List<Post> returns = new ArrayList<>();
        List<List<Ev>> lineReturns = new ArrayList<>();
        for (int l = 0; l < lines; l++) {
            lineReturns.add(new ArrayList<>());
        }
        if (rnd.nextDouble() < 0.45) {
            int n = 1 + rnd.nextInt(2);
            for (int k = 0; k < n; k++) {
                int l = rnd.nextInt(lines);
                long q = 1 + rnd.nextInt(3);
                Ev r;
                boolean counts = true;
                if (rnd.nextBoolean()) {
                    r = Ev.cancel(store);
                } else {
                    r = Ev.restock(store);
                    double c = rnd.nextDouble();
                    if (c < 0.35) {
                        r.cause("refund");
                    } else if (c < 0.5) {
                        r.cause("return"); // these stores restock on refund: ignored
                        counts = false;
                    }
                }
                r.sku(lineItems.get(l).sku).qty(q).order(orderId, "L" + l);
                if (counts) {
                    returned[l] += q;
                }
                lineReturns.get(l).add(track(r));
                returns.add(new Post(r, false));
            }
        }
        for (int l = 0; l < lines; l++) {
            lineItems.get(l).expected += Math.min(returned[l], booked[l]);
        }
        if (!returns.isEmpty() && rnd.nextDouble() < 0.3) {
            script.add(0, returns.remove(0)); // arrives before its sale: waits
        }
        script.addAll(returns);
        if (rnd.nextDouble() < 0.1) {
            // another delivery of the same sale (order update): books nothing more
            Ev again = track(sales.get(rnd.nextInt(lines)).copyWithNewId());
            script.add(rnd.nextInt(script.size() + 1), new Post(again, false));
        }
        return script;
    }

    private List<Post> plainRestock() {
        Item it = randomItem();
        long q = 1 + rnd.nextInt(5);
        it.expected += q;
        return List.of(new Post(track(Ev.restock(randomStoreOf(it)).sku(it.sku).qty(q)), false));
    }

    private List<Post> adjust(Item it, long fixed) {
        String store = randomStoreOf(it);
        List<String> refs = it.refs.get(store);
        String ref = refs.get(rnd.nextInt(refs.size()));
        long q = fixed;
        while (q == 0) {
            q = rnd.nextInt(7) - 3;
        }
        it.expected += q;
        return List.of(new Post(track(Ev.adjust(store).ref(ref).qty(q)), false));
    }

    // ------------------------------------------------------------------ execution

    private void run(List<Post> posts, ConcurrentLinkedQueue<String> errors) {
        for (Post p : posts) {
            TallyClient.Resp r;
            try {
                r = api.postEvent(p.body());
            } catch (RuntimeException e) {
                errors.add(p.body() + " -> " + e);
                continue;
            }
            String status = r.json() == null ? "" : r.json().path("status").asText();
            boolean ok = p.duplicate()
                    ? r.status() == 200 && "duplicate".equals(status)
                    : r.status() == 202 && "accepted".equals(status);
            if (!ok && errors.size() < 20) {
                errors.add((p.duplicate() ? "duplicate " : "") + TallyClient.toJson(p.body()) + " -> " + r);
            }
        }
    }
}
