package io.tally.status;

import io.tally.connector.PushCommand;
import io.tally.connector.PushOutcome;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.camel.Exchange;
import org.apache.camel.spi.CamelEvent;
import org.apache.camel.support.EventNotifierSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Writes every push attempt to {@code push_attempt} (the status page's push charts): Camel's ExchangeSentEvent of the
 * {@code push-via-channel} step ({@code direct:push-<channel>}, which every channel provides) carries the attempt's
 * time taken, its {@code pushCommand} and, when the channel failed, the exception. Nothing is added to the routes.
 *
 * <p>Attempts are queued in memory (bounded: beyond {@code capacity} rows they are dropped and counted, so a database
 * outage costs no memory) and inserted in batches every {@code flushInterval}; the same thread deletes rows older
 * than the retention. Losing a few seconds of history in a crash is acceptable: nothing but the charts reads it.
 */
final class PushHistoryRecorder extends EventNotifierSupport {

    private static final Logger log = LoggerFactory.getLogger(PushHistoryRecorder.class);
    private static final String PUSH_COMMAND = "pushCommand";
    private static final int MAX_ERROR = 500;

    record Attempt(
            String store, long listingId, Instant at, long level, String outcome, int durationMs, String error) {}

    private final JdbcTemplate jdbc;
    private final Duration flushInterval;
    private final Duration retention;
    private final BlockingQueue<Attempt> queue;
    private final AtomicLong dropped = new AtomicLong();
    private ScheduledExecutorService flusher;
    private volatile Instant lastPurge = Instant.EPOCH;

    PushHistoryRecorder(JdbcTemplate jdbc, Duration flushInterval, Duration retention, int capacity) {
        this.jdbc = jdbc;
        this.flushInterval = flushInterval;
        this.retention = retention;
        this.queue = new ArrayBlockingQueue<>(capacity);
        setIgnoreCamelContextEvents(true);
        setIgnoreCamelContextInitEvents(true);
        setIgnoreRouteEvents(true);
        setIgnoreServiceEvents(true);
        setIgnoreStepEvents(true);
        setIgnoreExchangeCreatedEvent(true);
        setIgnoreExchangeCompletedEvent(true);
        setIgnoreExchangeRedeliveryEvents(true);
        setIgnoreExchangeFailedEvents(true);
        setIgnoreExchangeAsyncProcessingStartedEvents(true);
    }

    /** Camel starts the stopwatch behind ExchangeSentEvent only when a notifier accepted the ExchangeSendingEvent. */
    @Override
    public boolean isEnabled(CamelEvent event) {
        if (event instanceof CamelEvent.ExchangeSendingEvent sending) {
            return isChannelPush(sending.getExchange(), sending.getEndpoint().getEndpointUri());
        }
        if (event instanceof CamelEvent.ExchangeSentEvent sent) {
            return isChannelPush(sent.getExchange(), sent.getEndpoint().getEndpointUri());
        }
        return false;
    }

    private static boolean isChannelPush(Exchange exchange, String uri) {
        if (!(exchange.getProperty(PUSH_COMMAND) instanceof PushCommand push)) {
            return false;
        }
        // the step's endpoint carries its options ("direct://push-http?block=false")
        int query = uri.indexOf('?');
        String path = query < 0 ? uri : uri.substring(0, query);
        return path.equals("direct://push-" + push.channel()) || path.equals("direct:push-" + push.channel());
    }

    @Override
    public void notify(CamelEvent event) {
        if (!(event instanceof CamelEvent.ExchangeSentEvent sent)
                || !(sent.getExchange().getProperty(PUSH_COMMAND) instanceof PushCommand push)) {
            return;
        }
        Exchange exchange = sent.getExchange();
        Throwable failure = exchange.getException();
        String outcome = failure != null
                ? "failed"
                : exchange.getProperty(PushOutcome.PROPERTY) instanceof PushOutcome answer && answer.isStale()
                        ? "stale"
                        : "ok";
        String error = null;
        if (failure != null) {
            error = failure.getClass().getSimpleName() + ": " + failure.getMessage();
            error = error.length() > MAX_ERROR ? error.substring(0, MAX_ERROR) : error;
        }
        Attempt attempt = new Attempt(
                push.store(),
                push.listingId(),
                Instant.now(),
                push.level(),
                outcome,
                (int) Math.min(Integer.MAX_VALUE, sent.getTimeTaken()),
                error);
        if (!queue.offer(attempt)) {
            dropped.incrementAndGet();
        }
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        flusher = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "tally-push-history");
            t.setDaemon(true);
            return t;
        });
        long millis = flushInterval.toMillis();
        // flushQuietly catches everything, so the future never holds a failure; stop() ends the schedule.
        var unused = flusher.scheduleWithFixedDelay(this::flushQuietly, millis, millis, TimeUnit.MILLISECONDS);
    }

    @Override
    protected void doStop() throws Exception {
        if (flusher != null) {
            flusher.shutdown();
            flusher.awaitTermination(5, TimeUnit.SECONDS);
        }
        flushQuietly();
        super.doStop();
    }

    private void flushQuietly() {
        try {
            flush();
        } catch (RuntimeException e) {
            // The database is away: the queued attempts wait (up to the capacity) for the next flush.
            log.debug("push history not written yet: {}", e.getMessage());
        }
    }

    /** Writes the queued attempts (in batches of 1,000) and, once a minute, deletes those past the retention. */
    synchronized void flush() {
        List<Attempt> batch = new ArrayList<>();
        while (true) {
            batch.clear();
            // peek-then-remove: a failed insert leaves the batch queued for the next flush
            for (Attempt a : queue) {
                batch.add(a);
                if (batch.size() == 1000) {
                    break;
                }
            }
            if (batch.isEmpty()) {
                break;
            }
            jdbc.batchUpdate("""
                    INSERT INTO push_attempt (store, listing_id, at, level, outcome, duration_ms, error)
                    VALUES (?, ?, ?, ?, ?, ?, ?)""", batch, batch.size(), (ps, a) -> {
                ps.setString(1, a.store());
                ps.setLong(2, a.listingId());
                ps.setTimestamp(3, Timestamp.from(a.at()));
                ps.setLong(4, a.level());
                ps.setString(5, a.outcome());
                ps.setInt(6, a.durationMs());
                ps.setString(7, a.error());
            });
            for (int i = 0; i < batch.size(); i++) {
                queue.poll();
            }
        }
        long lost = dropped.getAndSet(0);
        if (lost > 0) {
            log.warn("push history: {} attempt(s) not recorded (the queue of unwritten attempts was full)", lost);
        }
        Instant now = Instant.now();
        if (lastPurge.plusSeconds(60).isBefore(now)) {
            lastPurge = now;
            jdbc.update("DELETE FROM push_attempt WHERE at < ?", Timestamp.from(now.minus(retention)));
        }
    }
}
