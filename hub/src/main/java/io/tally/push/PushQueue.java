package io.tally.push;

import java.util.Collection;
import java.util.concurrent.TimeUnit;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.component.seda.SedaEndpoint;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * Puts listings on the push queue (seda:push-listing, consumed by route push-listing), at most once each
 * ({@link PushCoalescer}). The queue is bounded ({@code tally.push.queue-size}); a listing is only marked queued
 * while it is really on the queue, so one that did not fit stays eligible: the database still shows it off target,
 * and the next sweep ({@link PushSweep}) queues it.
 *
 * <p>Pushes asked for by the ledger and the admin API never wait for room (a sale must not stall on a channel's
 * rate limit). Sweeps and the start-up recovery wait for room and keep the queue below
 * {@code tally.push.sweep-queue-depth}, so they stream any number of listings through a small queue and leave
 * room for the pushes that events ask for meanwhile.
 */
@Component("pushQueue")
public class PushQueue {

    private static final Logger log = LoggerFactory.getLogger(PushQueue.class);
    /** How often a waiting sweep looks for room; the queue drains at the channels' rate limits. */
    private static final long ROOM_POLL_MS = 20;

    private final PushCoalescer coalescer;
    private final ProducerTemplate producer;
    private final CamelContext camel;
    private final String queueUri;
    private final int sweepDepth;
    private volatile SedaEndpoint queue;

    public PushQueue(
            PushCoalescer coalescer,
            ProducerTemplate producer,
            CamelContext camel,
            @Value("${tally.push.queue-size}") int queueSize,
            @Value("${tally.push.sweep-queue-depth}") int sweepDepth) {
        this.coalescer = coalescer;
        this.producer = producer;
        this.camel = camel;
        // The size must match every other use of the queue (routes/push/push-listing.camel.yaml), or Camel refuses it.
        this.queueUri = "seda:push-listing?size=" + queueSize + "&waitForTaskToComplete=Never";
        this.sweepDepth = Math.max(1, Math.min(sweepDepth, queueSize));
    }

    /**
     * Queues every listing not queued yet, without waiting. When the queue is full the rest is left to the sweep.
     *
     * @return how many listings did not fit (and stay eligible)
     */
    public int request(Collection<Long> listingIds) {
        int left = 0;
        for (Long id : listingIds) {
            if (left > 0) {
                left++; // the queue was full a moment ago: don't try every remaining listing against it
                continue;
            }
            if (coalescer.offer(id) && !enqueue(id)) {
                coalescer.withdraw(id);
                left++;
            }
        }
        if (left > 0) {
            log.info("Push queue full ({} listings queued): {} listings left for the next push sweep", queued(), left);
        }
        return left;
    }

    /** A listing whose mark is already "queued" (a newer target arrived during its push) goes on the queue again. */
    public void requeue(Long listingId) {
        if (!enqueue(listingId)) {
            coalescer.withdraw(listingId);
            log.info("Push queue full: listing {} left for the next push sweep", listingId);
        }
    }

    /**
     * Queues one listing for a sweep, waiting up to {@code maxWaitMs} until the queue holds fewer than the sweep depth.
     *
     * @return false when no room came in time (or the hub is stopping): the sweep stops and the next one continues
     */
    public boolean requestWaiting(Long listingId, long maxWaitMs) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(maxWaitMs);
        while (queued() >= sweepDepth) {
            if (!accepting() || System.nanoTime() >= deadline) {
                return false;
            }
            try {
                Thread.sleep(ROOM_POLL_MS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        if (!coalescer.offer(listingId)) {
            return true; // already queued or in flight: that push reads the newest target
        }
        if (enqueue(listingId)) {
            return true;
        }
        // Events filled the room between the look and the put: the listing stays eligible.
        coalescer.withdraw(listingId);
        return false;
    }

    /** False once the hub is stopping: nothing more is queued. */
    public boolean accepting() {
        return camel.getStatus().isStarted();
    }

    /** Listings waiting on the queue now. */
    public int queued() {
        return endpoint().getCurrentQueueSize();
    }

    private boolean enqueue(Long listingId) {
        Exchange sent = producer.send(queueUri, exchange -> exchange.getIn().setBody(listingId));
        // "Queue full" (IllegalStateException), or the context stopping: the listing did not reach the queue.
        return sent.getException() == null;
    }

    private SedaEndpoint endpoint() {
        SedaEndpoint endpoint = queue;
        if (endpoint == null) {
            endpoint = camel.getEndpoint(queueUri, SedaEndpoint.class);
            queue = endpoint;
        }
        return endpoint;
    }
}
