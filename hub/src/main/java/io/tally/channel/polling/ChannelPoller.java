package io.tally.channel.polling;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What every channel poller does around reading one store's window: one poll of a store at a time (a poll started
 * while another runs waits for it), a failure logged once when it starts and once when polls succeed again (in
 * between at debug level, so an outage does not fill the log), the failure recorded on the store's cursor, an
 * optional back-off ({@link PollingProperties}), and the outcome counted in {@code <metric>{store, result}}.
 *
 * <p>The routes stay the wiring: a quartz trigger per store (routes/channels) calls {@link #poll}.
 *
 * @param <R> what one poll hands to its route
 */
public abstract class ChannelPoller<R> {

    /**
     * What one poll read; {@code skippedBecause} (a metric result) when it did not go to the channel.
     *
     * @param counted whether a successful poll is counted in the metric
     */
    public record Polled<R>(R result, String skippedBecause, boolean counted) {

        public static <R> Polled<R> read(R result) {
            return new Polled<>(result, null, true);
        }

        public static <R> Polled<R> skipped(String because, R result) {
            return new Polled<>(result, because, true);
        }

        /** Succeeded without reading the channel, e.g. a first poll that only sets the cursor: not counted. */
        public static <R> Polled<R> uncounted(R result) {
            return new Polled<>(result, null, false);
        }
    }

    /**
     * A failed poll.
     *
     * @param result        what the route still gets (events stored before the failure)
     * @param error         why, as logged and recorded on the cursor
     * @param context       how far the poll got, for the log (may be empty)
     * @param positionIfNew the position recorded when the store has no cursor yet, or null to record nothing then
     */
    public record Failure<R>(R result, String error, String context, Instant positionIfNew) {}

    /**
     * @param channel     the channel's name in logs (e.g. {@code Amazon})
     * @param feed        the cursor's feed (e.g. {@code orders})
     * @param metric      the counter of polls by store and result (e.g. {@code tally.amazon.polls})
     * @param succeeded   the result of a successful poll in that counter (e.g. {@code ok})
     */
    public record Identity(String channel, String feed, String metric, String metricDescription, String succeeded) {}

    private final Logger log = LoggerFactory.getLogger(getClass());
    private final Identity identity;
    protected final PollCursors cursors;
    private final MeterRegistry meters;
    private final PollingProperties polling;
    private final Map<String, ReentrantLock> locks = new ConcurrentHashMap<>();
    private final Map<String, Failing> failing = new ConcurrentHashMap<>();

    private record Failing(int inARow, long pausedUntilMs) {}

    protected ChannelPoller(Identity identity, PollCursors cursors, MeterRegistry meters, PollingProperties polling) {
        this.identity = identity;
        this.cursors = cursors;
        this.meters = meters;
        this.polling = polling;
    }

    /** Reads the store's window (see {@link #read}); a failure is logged and recorded, and the next poll retries. */
    public final R poll(String store) {
        ReentrantLock lock = locks.computeIfAbsent(store, s -> new ReentrantLock());
        lock.lock();
        try {
            Failing failures = failing.get(store);
            if (failures != null && System.currentTimeMillis() < failures.pausedUntilMs()) {
                count(store, "skipped_backoff");
                return notPolled(store);
            }
            Polled<R> polled;
            try {
                polled = read(store);
            } catch (RuntimeException e) {
                return failed(store, e);
            }
            if (polled.skippedBecause() != null) {
                count(store, polled.skippedBecause());
                return polled.result();
            }
            if (polled.counted()) {
                count(store, identity.succeeded());
            }
            Failing recovered = failing.remove(store);
            if (recovered != null) {
                log.info(
                        "{} store {}: {} polls succeed again after {} failure(s)",
                        identity.channel(),
                        store,
                        identity.feed(),
                        recovered.inARow());
            }
            return polled.result();
        } finally {
            lock.unlock();
        }
    }

    /** One poll of the store's window: stores its events and advances the cursor, or throws. */
    protected abstract Polled<R> read(String store);

    /** The failure's result, text and context. */
    protected abstract Failure<R> failure(String store, RuntimeException e);

    /** The result of a poll skipped while polls back off. */
    protected abstract R notPolled(String store);

    /** Counts a result of one store's poll (also for partial results, e.g. a rejected order). */
    protected final void count(String store, String result) {
        Counter.builder(identity.metric())
                .description(identity.metricDescription())
                .tags("store", store, "result", result)
                .register(meters)
                .increment();
    }

    protected final String feed() {
        return identity.feed();
    }

    private R failed(String store, RuntimeException e) {
        Failure<R> failure = failure(store, e);
        count(store, "failed");
        Failing before = failing.get(store);
        int inARow = before == null ? 1 : before.inARow() + 1;
        long pause = polling.backoffMs(inARow);
        failing.put(store, new Failing(inARow, System.currentTimeMillis() + pause));
        if (inARow == 1) {
            log.warn(
                    "{} store {}: {} poll failed{}; polls go on from the same cursor{} (further failures are logged"
                            + " at debug level until one succeeds): {}",
                    identity.channel(),
                    store,
                    identity.feed(),
                    failure.context(),
                    pause > 0 ? " after " + pause + " ms" : "",
                    failure.error());
        } else {
            log.debug(
                    "{} store {}: {} poll failed again ({} in a row): {}",
                    identity.channel(),
                    store,
                    identity.feed(),
                    inARow,
                    failure.error());
        }
        cursors.failed(store, identity.feed(), failure.error(), failure.positionIfNew());
        return failure.result();
    }
}
