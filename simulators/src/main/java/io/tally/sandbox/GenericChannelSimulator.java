package io.tally.sandbox;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

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
    public record Request(
            Instant at,
            String method,
            String path,
            String body,
            String store,
            String ref,
            String sku,
            Integer available,
            Long version,
            int status,
            boolean applied) {}

    private final int requestedPort;
    private final GenericChannelLedger ledger = new GenericChannelLedger();
    private final GenericChannelFaults faults = new GenericChannelFaults(ledger.lock);
    private final ObjectMapper mapper = new ObjectMapper();
    private final GenericChannelPushEndpoint pushEndpoint = new GenericChannelPushEndpoint(mapper, ledger, faults);
    private final GenericChannelSandboxControl control = new GenericChannelSandboxControl(mapper, ledger, faults);

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
        http = LoopbackHttpServer.start(
                "generic-channel-sim",
                requestedPort,
                java.util.Map.of("/", pushEndpoint::handle, "/_sandbox/", control::handle));
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
        return ledger.level(store, ref);
    }

    /** Version of the latest accepted push of a listing, or null. */
    public Long version(String store, String ref) {
        return ledger.version(store, ref);
    }

    /** Number of pushes to a listing that were answered 2xx. */
    public int pushCount(String store, String ref) {
        return ledger.pushCount(store, ref);
    }

    /** Number of requests for a listing, including the ones answered with an injected fault. */
    public int attempts(String store, String ref) {
        return ledger.attempts(store, ref);
    }

    /** Pushes answered 2xx, over all listings. */
    public int totalPushes() {
        return ledger.totalPushes();
    }

    /** Snapshot of every request received, oldest first. */
    public List<Request> requests() {
        return ledger.requests();
    }

    /** Snapshot of the requests for one listing, oldest first. */
    public List<Request> requests(String store, String ref) {
        return ledger.requests(store, ref);
    }

    /**
     * Sets what the channel holds for a listing without counting a push: the sandbox re-seeds this simulator after a
     * restart with the levels Tally last pushed, as a real receiver would still hold them.
     */
    public void seedLevel(String store, String ref, int level, Long version) {
        ledger.seedLevel(store, ref, level, version);
    }

    /** Forget every request and level (fault settings are kept). */
    public void reset() {
        ledger.reset();
    }

    // ------------------------------------------------------------------ fault injection

    /** Answer the next {@code n} requests with {@code status} (429 carries {@code Retry-After}). */
    public void failNext(int n, int status) {
        faults.failNext(n, status);
    }

    /** Answer every request with {@code status} until {@link #recover()}. */
    public void failAlways(int status) {
        faults.failAlways(status);
    }

    /** Seconds sent in {@code Retry-After} with 429/503 answers (default 1; negative = no header). */
    public void retryAfterSeconds(int seconds) {
        faults.retryAfterSeconds(seconds);
    }

    /** Clear every injected fault and delay. */
    public void recover() {
        faults.recover();
    }

    /** Wait this long before answering every request (simulates a slow channel / timeouts). */
    public void delay(Duration d) {
        faults.delay(d);
    }

    /**
     * Wait {@code d} before answering each of the next {@code n} requests. A delayed request is
     * recorded with status -1 and does not change the level (the caller is assumed to have timed
     * out); it is still answered 503 after the delay.
     */
    public void delayNext(int n, Duration d) {
        faults.delayNext(n, d);
    }
}
