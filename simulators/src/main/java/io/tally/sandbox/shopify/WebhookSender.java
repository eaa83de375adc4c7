package io.tally.sandbox.shopify;

import io.tally.sandbox.shopify.WebhookDispatcher.Delivery;
import io.tally.sandbox.shopify.WebhookDispatcher.Event;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The sending side of a shop's {@link WebhookDispatcher}: the delivery queue (by due time, then firing order), the one
 * sender thread, signed POSTs with Shopify's headers, retries with exponential backoff, and the delivery log. Shares
 * the dispatcher's lock: every field below is guarded by it.
 */
final class WebhookSender {

    private static final class Task {
        final Event event;
        final int copy;
        final long seq;
        String webhookId;
        String url;
        int attempt;
        long dueNanos;

        Task(Event event, int copy, long seq, String webhookId) {
            this.event = event;
            this.copy = copy;
            this.seq = seq;
            this.webhookId = webhookId;
        }
    }

    private final Shop shop;
    private final Object lock;
    private final PriorityQueue<Task> queue =
            new PriorityQueue<>(Comparator.<Task>comparingLong(t -> t.dueNanos).thenComparingLong(t -> t.seq));
    private final List<Delivery> deliveries = new ArrayList<>();
    private final AtomicLong seq = new AtomicLong();
    private final HttpClient http;
    private int tamperNext;
    private int inFlight;
    private volatile boolean running = true;
    private final Thread sender;

    WebhookSender(Shop shop, Object lock) {
        this.shop = shop;
        this.lock = lock;
        this.http =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        this.sender = new Thread(this::run, "shopify-sim-webhooks-" + shop.name());
        this.sender.setDaemon(true);
        this.sender.start();
    }

    /** Queues {@code copies} deliveries of one event, due now. Caller holds the lock. */
    void enqueue(Event e, int copies) {
        String webhookId = UUID.randomUUID().toString();
        long now = System.nanoTime();
        for (int c = 0; c < copies; c++) {
            Task t = new Task(
                    e,
                    c,
                    seq.incrementAndGet(),
                    c > 0 && shop.settings().webhookIdVaries()
                            ? UUID.randomUUID().toString()
                            : webhookId);
            t.dueNanos = now;
            queue.add(t);
        }
    }

    /** The next delivery attempt carries a wrong HMAC. */
    void tamperNextSignature() {
        synchronized (lock) {
            tamperNext++;
        }
    }

    /** Deliveries not yet finished (queued, waiting for a retry or in flight); held ones are not counted. */
    int pending() {
        synchronized (lock) {
            return queue.size() + inFlight;
        }
    }

    /** Wait until nothing is pending; false if the time ran out first. */
    boolean awaitDelivered(Duration max) {
        long deadline = System.nanoTime() + max.toNanos();
        synchronized (lock) {
            while (queue.size() + inFlight > 0) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                try {
                    lock.wait(Math.max(1, left / 1_000_000));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
            return true;
        }
    }

    /** Every delivery attempt so far, oldest first. */
    List<Delivery> deliveries() {
        synchronized (lock) {
            return List.copyOf(deliveries);
        }
    }

    /** Forgets the delivery log. Caller holds the lock. */
    void clearDeliveries() {
        deliveries.clear();
    }

    void shutdown() {
        running = false;
        sender.interrupt();
    }

    private void run() {
        while (running) {
            Task t;
            synchronized (lock) {
                try {
                    Task head = queue.peek();
                    if (head == null || (head.url == null && shop.webhookUrl() == null)) {
                        lock.wait(head == null ? 0 : 50);
                        continue;
                    }
                    long wait = head.dueNanos - System.nanoTime();
                    if (wait > 0) {
                        lock.wait(Math.max(1, wait / 1_000_000));
                        continue;
                    }
                    t = queue.poll();
                    inFlight++;
                } catch (InterruptedException e) {
                    return;
                }
            }
            try {
                attempt(t);
            } finally {
                synchronized (lock) {
                    inFlight--;
                    lock.notifyAll();
                }
            }
        }
    }

    private void attempt(Task t) {
        ShopSettings s = shop.settings();
        if (t.url == null) {
            t.url = shop.webhookUrl(); // bound on the first attempt: retries go to the same address
        }
        t.attempt++;
        if (t.attempt > 1 && s.webhookIdVaries()) {
            t.webhookId = UUID.randomUUID().toString();
        }
        boolean tamper;
        synchronized (lock) {
            tamper = tamperNext > 0;
            if (tamper) {
                tamperNext--;
            }
        }
        String hmac =
                WebhookDispatcher.hmac(tamper ? s.webhookSecret() + "-tampered" : s.webhookSecret(), t.event.body());
        int status;
        try {
            HttpRequest req = HttpRequest.newBuilder(URI.create(t.url))
                    .timeout(s.timeout())
                    .header("Content-Type", "application/json")
                    .header("X-Shopify-Topic", t.event.topic())
                    .header("X-Shopify-Hmac-Sha256", hmac)
                    .header("X-Shopify-Shop-Domain", shop.domain())
                    .header("X-Shopify-API-Version", t.event.apiVersion())
                    .header("X-Shopify-Webhook-Id", t.webhookId)
                    .header("X-Shopify-Event-Id", t.event.eventId())
                    .header("X-Shopify-Triggered-At", t.event.triggeredAt().toString())
                    .POST(HttpRequest.BodyPublishers.ofByteArray(t.event.body()))
                    .build();
            status = http.send(req, HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            status = -1;
        } catch (Exception e) {
            status = -1;
        }
        boolean ok = status >= 200 && status < 300;
        boolean retry = !ok && t.attempt <= s.maxRetries() && running;
        synchronized (lock) {
            deliveries.add(new Delivery(
                    Instant.now(),
                    t.event.topic(),
                    t.event.eventId(),
                    t.webhookId,
                    t.copy,
                    t.attempt,
                    status,
                    tamper,
                    !ok && !retry,
                    t.event.bodyText()));
            if (retry) {
                long delay = s.retryBaseDelay().toNanos() << Math.min(20, t.attempt - 1);
                t.dueNanos = System.nanoTime() + delay;
                queue.add(t);
            }
        }
    }
}
