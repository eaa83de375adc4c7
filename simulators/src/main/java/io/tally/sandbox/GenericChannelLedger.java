package io.tally.sandbox;

import io.tally.sandbox.GenericChannelSimulator.Request;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What the generic channel holds: the latest level and version per listing, push and attempt counts, and every
 * request received. The whole simulator works under this ledger's {@link #lock}.
 */
final class GenericChannelLedger {

    static final class Listing {
        Integer level;
        Long version;
        int pushCount; // requests answered 2xx
        int attempts; // all requests
    }

    final Object lock = new Object();
    // guarded by lock
    private final Map<String, Listing> listings = new HashMap<>();
    private final List<Request> requests = new ArrayList<>();
    private int totalPushes;

    Integer level(String store, String ref) {
        synchronized (lock) {
            Listing l = listings.get(key(store, ref));
            return l == null ? null : l.level;
        }
    }

    Long version(String store, String ref) {
        synchronized (lock) {
            Listing l = listings.get(key(store, ref));
            return l == null ? null : l.version;
        }
    }

    int pushCount(String store, String ref) {
        synchronized (lock) {
            Listing l = listings.get(key(store, ref));
            return l == null ? 0 : l.pushCount;
        }
    }

    int attempts(String store, String ref) {
        synchronized (lock) {
            Listing l = listings.get(key(store, ref));
            return l == null ? 0 : l.attempts;
        }
    }

    int totalPushes() {
        synchronized (lock) {
            return totalPushes;
        }
    }

    List<Request> requests() {
        synchronized (lock) {
            return List.copyOf(requests);
        }
    }

    List<Request> requests(String store, String ref) {
        synchronized (lock) {
            return requests.stream()
                    .filter(r -> Objects.equals(r.store(), store) && Objects.equals(r.ref(), ref))
                    .toList();
        }
    }

    void seedLevel(String store, String ref, int level, Long version) {
        synchronized (lock) {
            Listing l = listings.computeIfAbsent(key(store, ref), k -> new Listing());
            l.level = level;
            l.version = version;
        }
    }

    void reset() {
        synchronized (lock) {
            listings.clear();
            requests.clear();
            totalPushes = 0;
        }
    }

    /** Level per listing, keyed {@code store/ref}, sorted. */
    Map<String, Integer> levels() {
        Map<String, Integer> levels = new java.util.TreeMap<>();
        synchronized (lock) {
            listings.forEach((key, listing) -> levels.put(key.replace('\u0000', '/'), listing.level));
        }
        return levels;
    }

    /** The listing a push names (created on first sight), or null without store and ref. Caller holds the lock. */
    Listing listing(String store, String ref) {
        return store != null && ref != null ? listings.computeIfAbsent(key(store, ref), k -> new Listing()) : null;
    }

    /**
     * Counts a 2xx push and takes its level unless its version is older than the last accepted one (a late, stale
     * delivery). Returns whether the level was taken. Caller holds the lock.
     */
    boolean accept(Listing l, int available, Long version) {
        l.pushCount++;
        totalPushes++;
        if (l.version == null || version == null || version >= l.version) {
            l.level = available;
            if (version != null) {
                l.version = version;
            }
            return true;
        }
        return false;
    }

    /** Caller holds the lock. */
    void record(Request request) {
        requests.add(request);
    }

    private static String key(String store, String ref) {
        return store + "\u0000" + ref;
    }
}
