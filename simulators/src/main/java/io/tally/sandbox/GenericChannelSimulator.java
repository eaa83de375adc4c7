package io.tally.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The far end of the generic {@code http} channel (contract C2): a small HTTP server on loopback that
 * accepts Tally's pushes {@code {"store","ref","sku","available","version"}} on any path, records
 * every request and keeps the latest level per listing.
 *
 * <p>A push whose {@code version} is lower than the last accepted one for the same listing is
 * answered 2xx but does not change the level (a late, stale delivery). Faults can be injected:
 * {@link #failNext(int, int)}, {@link #failAlways(int)}, {@link #delay(Duration)},
 * {@link #delayNext(int, Duration)}; {@link #recover()} clears them.
 *
 * <p>Plain JDK, no Spring; thread-safe.
 */
public class GenericChannelSimulator implements AutoCloseable {

    /** One request received, whatever its outcome. */
    public record Request(Instant at, String method, String path, String body,
                          String store, String ref, String sku, Integer available, Long version,
                          int status, boolean applied) {
    }

    private static final class Listing {
        Integer level;
        Long version;
        int pushCount;      // requests answered 2xx
        int attempts;       // all requests
    }

    private final ObjectMapper mapper = new ObjectMapper();
    private final int requestedPort;
    private final Object lock = new Object();
    private final Map<String, Listing> listings = new HashMap<>();
    private final List<Request> requests = new ArrayList<>();
    private int totalPushes;

    // fault injection, guarded by lock
    private int failNextCount;
    private int failNextStatus;
    private Integer failAlwaysStatus;
    private int retryAfterSeconds = 1;
    private Duration delay = Duration.ZERO;
    private int delayNextCount;
    private Duration delayNext = Duration.ZERO;

    private LoopbackHttpServer http;

    /** A simulator on a free port. */
    public GenericChannelSimulator() {
        this(0);
    }

    /** A simulator on the given port (0 = a free port). */
    public GenericChannelSimulator(int port) {
        this.requestedPort = port;
    }

    public synchronized GenericChannelSimulator start() {
        if (http != null) {
            return this;
        }
        http = LoopbackHttpServer.start("generic-channel-sim", requestedPort, 
                java.util.Map.of("/", this::handle, "/_sandbox/", this::control));
        return this;
    }

    public synchronized void stop() {
        if (http != null) {
            http.stop();
            http = null;
        }
    }

    @Override
    public void close() {
        stop();
    }

    public synchronized int port() {
        if (http == null) {
            throw new IllegalStateException("simulator not started");
        }
        return http.port();
    }

    /** {@code http://127.0.0.1:<port><path>}; path may omit its leading slash. */
    public String url(String path) {
        String p = path == null ? "" : path;
        if (!p.isEmpty() && !p.startsWith("/")) {
            p = "/" + p;
        }
        return "http://127.0.0.1:" + port() + p;
    }

    // ------------------------------------------------------------------ state queries

    /** Latest accepted level of a listing, or null if it never received a successful push. */
    public Integer level(String store, String ref) {
        synchronized (lock) {
            Listing l = listings.get(key(store, ref));
            return l == null ? null : l.level;
        }
    }

    /** Version of the latest accepted push of a listing, or null. */
    public Long version(String store, String ref) {
        synchronized (lock) {
            Listing l = listings.get(key(store, ref));
            return l == null ? null : l.version;
        }
    }

    /** Number of pushes to a listing that were answered 2xx. */
    public int pushCount(String store, String ref) {
        synchronized (lock) {
            Listing l = listings.get(key(store, ref));
            return l == null ? 0 : l.pushCount;
        }
    }

    /** Number of requests for a listing, including the ones answered with an injected fault. */
    public int attempts(String store, String ref) {
        synchronized (lock) {
            Listing l = listings.get(key(store, ref));
            return l == null ? 0 : l.attempts;
        }
    }

    /** Pushes answered 2xx, over all listings. */
    public int totalPushes() {
        synchronized (lock) {
            return totalPushes;
        }
    }

    /** Snapshot of every request received, oldest first. */
    public List<Request> requests() {
        synchronized (lock) {
            return List.copyOf(requests);
        }
    }

    /** Snapshot of the requests for one listing, oldest first. */
    public List<Request> requests(String store, String ref) {
        synchronized (lock) {
            return requests.stream()
                    .filter(r -> Objects.equals(r.store(), store) && Objects.equals(r.ref(), ref))
                    .toList();
        }
    }

    /**
     * Sets what the channel holds for a listing without counting a push: the sandbox re-seeds this simulator after a
     * restart with the levels Tally last pushed, as a real receiver would still hold them.
     */
    public void seedLevel(String store, String ref, int level, Long version) {
        synchronized (lock) {
            Listing l = listings.computeIfAbsent(key(store, ref), k -> new Listing());
            l.level = level;
            l.version = version;
        }
    }

    /** Forget every request and level (fault settings are kept). */
    public void reset() {
        synchronized (lock) {
            listings.clear();
            requests.clear();
            totalPushes = 0;
        }
    }

    // ------------------------------------------------------------------ fault injection

    /** Answer the next {@code n} requests with {@code status} (429 carries {@code Retry-After}). */
    public void failNext(int n, int status) {
        synchronized (lock) {
            failNextCount = n;
            failNextStatus = status;
        }
    }

    /** Answer every request with {@code status} until {@link #recover()}. */
    public void failAlways(int status) {
        synchronized (lock) {
            failAlwaysStatus = status;
        }
    }

    /** Seconds sent in {@code Retry-After} with 429/503 answers (default 1; negative = no header). */
    public void retryAfterSeconds(int seconds) {
        synchronized (lock) {
            retryAfterSeconds = seconds;
        }
    }

    /** Clear every injected fault and delay. */
    public void recover() {
        synchronized (lock) {
            failNextCount = 0;
            failAlwaysStatus = null;
            delay = Duration.ZERO;
            delayNextCount = 0;
            delayNext = Duration.ZERO;
        }
    }

    /** Wait this long before answering every request (simulates a slow channel / timeouts). */
    public void delay(Duration d) {
        synchronized (lock) {
            delay = d == null ? Duration.ZERO : d;
        }
    }

    /**
     * Wait {@code d} before answering each of the next {@code n} requests. A delayed request is
     * recorded with status -1 and does not change the level (the caller is assumed to have timed
     * out); it is still answered 503 after the delay.
     */
    public void delayNext(int n, Duration d) {
        synchronized (lock) {
            delayNextCount = n;
            delayNext = d == null ? Duration.ZERO : d;
        }
    }

    // ------------------------------------------------------------------ HTTP

    /**
     * Controls for people trying the sandbox by hand: {@code GET /_sandbox/levels} (what the channel shows per
     * listing), {@code POST /_sandbox/outage?status=503} (answer every push with that status) and
     * {@code POST /_sandbox/recover}.
     */
    private void control(HttpExchange ex) throws IOException {
        try (ex) {
            ex.getRequestBody().readAllBytes();
            String path = ex.getRequestURI().getPath();
            String query = ex.getRequestURI().getQuery() == null ? "" : ex.getRequestURI().getQuery();
            String answer;
            int status = 200;
            if (path.equals("/_sandbox/levels") && "GET".equals(ex.getRequestMethod())) {
                Map<String, Integer> levels = new java.util.TreeMap<>();
                synchronized (lock) {
                    listings.forEach((key, listing) -> levels.put(key.replace('\u0000', '/'), listing.level));
                }
                answer = mapper.writeValueAsString(levels);
            } else if (path.equals("/_sandbox/outage") && "POST".equals(ex.getRequestMethod())) {
                int failWith = query.startsWith("status=") ? Integer.parseInt(query.substring(7)) : 503;
                failAlways(failWith);
                answer = "{\"outage\":" + failWith + "}";
            } else if (path.equals("/_sandbox/recover") && "POST".equals(ex.getRequestMethod())) {
                recover();
                answer = "{\"outage\":null}";
            } else {
                status = 404;
                answer = "{\"error\":\"GET /_sandbox/levels, POST /_sandbox/outage?status=503, POST /_sandbox/recover\"}";
            }
            byte[] bytes = answer.getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().set("Content-Type", "application/json");
            ex.sendResponseHeaders(status, bytes.length);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(bytes);
            }
        } catch (NumberFormatException e) {
            ex.sendResponseHeaders(400, -1);
        }
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            String body;
            try (InputStream in = ex.getRequestBody()) {
                body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            String method = ex.getRequestMethod();
            String path = ex.getRequestURI().getPath();

            String store = null;
            String ref = null;
            String sku = null;
            Integer available = null;
            Long version = null;
            boolean parsed = false;
            try {
                JsonNode n = mapper.readTree(body);
                if (n != null && n.isObject()) {
                    store = text(n, "store");
                    ref = text(n, "ref");
                    sku = text(n, "sku");
                    JsonNode a = n.get("available");
                    if (a != null && a.isNumber()) {
                        available = a.intValue();
                    }
                    JsonNode v = n.get("version");
                    if (v != null && v.isNumber()) {
                        version = v.longValue();
                    }
                    parsed = true;
                }
            } catch (IOException e) {
                parsed = false;
            }

            Duration wait;
            boolean timedOut = false;
            int status;
            boolean applied = false;
            synchronized (lock) {
                wait = delay;
                if (delayNextCount > 0) {
                    delayNextCount--;
                    wait = wait.plus(delayNext);
                    timedOut = true;
                }
                Listing l = store != null && ref != null
                        ? listings.computeIfAbsent(key(store, ref), k -> new Listing()) : null;
                if (l != null) {
                    l.attempts++;
                }
                if (timedOut) {
                    status = -1;
                } else if (failAlwaysStatus != null) {
                    status = failAlwaysStatus;
                } else if (failNextCount > 0) {
                    failNextCount--;
                    status = failNextStatus;
                } else if (!"POST".equalsIgnoreCase(method) && !"PUT".equalsIgnoreCase(method)) {
                    status = 405;
                } else if (!parsed || l == null || available == null) {
                    status = 400;
                } else {
                    status = 200;
                    l.pushCount++;
                    totalPushes++;
                    if (l.version == null || version == null || version >= l.version) {
                        l.level = available;
                        if (version != null) {
                            l.version = version;
                        }
                        applied = true;
                    }
                }
                requests.add(new Request(Instant.now(), method, path, body, store, ref, sku, available,
                        version, status, applied));
            }

            if (!wait.isZero() && !wait.isNegative()) {
                try {
                    Thread.sleep(wait.toMillis());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }

            int answer = status == -1 ? 503 : status;
            String response;
            if (answer >= 200 && answer < 300) {
                response = "{\"status\":\"ok\",\"applied\":" + applied + "}";
            } else {
                response = "{\"error\":\"simulated status " + answer + "\"}";
                int ra;
                synchronized (lock) {
                    ra = retryAfterSeconds;
                }
                if ((answer == 429 || answer == 503) && ra >= 0) {
                    ex.getResponseHeaders().add("Retry-After", Integer.toString(ra));
                }
            }
            byte[] bytes = response.getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().add("Content-Type", "application/json");
            try {
                ex.sendResponseHeaders(answer, bytes.length);
                try (OutputStream out = ex.getResponseBody()) {
                    out.write(bytes);
                }
            } catch (IOException e) {
                // the client went away (e.g. it timed out): nothing to do
            }
        }
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }

    private static String key(String store, String ref) {
        return store + "\u0000" + ref;
    }
}
