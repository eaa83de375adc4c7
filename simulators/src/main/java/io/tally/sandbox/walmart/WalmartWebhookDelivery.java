package io.tally.sandbox.walmart;

import static io.tally.sandbox.walmart.WalmartSimulator.SIGNATURE_HEADER;
import static io.tally.sandbox.walmart.WalmartSimulator.sign;

import io.tally.sandbox.walmart.WalmartSimulator.Delivery;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * Sending the event notifications {@link WalmartWebhooks} builds: signed POSTs with retries and optional duplicates
 * (at least once), on the simulator's scheduled pool, in real time, and the log of every attempt. Settings and the log
 * are guarded by the store's lock.
 */
final class WalmartWebhookDelivery {

    private final WalmartStore store;

    // guarded by store.lock
    private final List<Delivery> deliveries = new ArrayList<>();
    private List<Duration> retryDelays = List.of(Duration.ofSeconds(1), Duration.ofSeconds(5));
    private Duration webhookTimeout = Duration.ofSeconds(10);
    private double duplicateProbability;

    private volatile ScheduledExecutorService executor;
    private volatile HttpClient webhookClient;

    WalmartWebhookDelivery(WalmartStore store) {
        this.store = store;
    }

    /** Deliveries start running on {@code pool} (the HTTP server's). */
    void attach(ScheduledExecutorService pool) {
        executor = pool;
        webhookClient = HttpClient.newBuilder()
                .connectTimeout(Duration.ofSeconds(5))
                .executor(executor)
                .build();
    }

    /** The simulator stopped: nothing more is delivered. */
    void detach() {
        executor = null;
        webhookClient = null;
    }

    void webhookRetryDelays(Duration... delays) {
        synchronized (store.lock) {
            retryDelays = List.of(delays);
        }
    }

    void webhookTimeout(Duration d) {
        synchronized (store.lock) {
            webhookTimeout = d;
        }
    }

    void duplicateProbability(double p) {
        synchronized (store.lock) {
            duplicateProbability = p;
        }
    }

    /** Every webhook delivery attempt, oldest first. */
    List<Delivery> deliveries() {
        synchronized (store.lock) {
            return List.copyOf(deliveries);
        }
    }

    /** Forgets the recorded deliveries. Caller holds the lock. */
    void clear() {
        deliveries.clear();
    }

    /** Whether deliveries run (the simulator is started). */
    boolean attached() {
        return executor != null;
    }

    /** Sends one event body (first attempt) on the pool. */
    void start(String eventId, String eventType, String url, String secret, String body) {
        executor.execute(() -> deliver(eventId, eventType, url, secret, body, 1, false));
    }

    private void deliver(
            String eventId, String eventType, String url, String secret, String body, int attempt, boolean duplicate) {
        Duration timeout;
        HttpClient client;
        synchronized (store.lock) {
            timeout = webhookTimeout;
        }
        client = webhookClient;
        if (client == null) {
            return;
        }
        int status;
        try {
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url))
                    .timeout(timeout)
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
            if (secret != null) {
                b.header(SIGNATURE_HEADER, sign(secret, body));
            }
            status = client.send(b.build(), HttpResponse.BodyHandlers.discarding())
                    .statusCode();
        } catch (IOException | IllegalArgumentException e) {
            status = -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        Duration retryIn = null;
        boolean sendDuplicate = false;
        synchronized (store.lock) {
            deliveries.add(new Delivery(eventId, eventType, url, attempt, duplicate, status, store.now(), body));
            if (status < 200 || status > 299) {
                if (!duplicate && attempt <= retryDelays.size()) {
                    retryIn = retryDelays.get(attempt - 1);
                }
            } else if (!duplicate
                    && duplicateProbability > 0
                    && ThreadLocalRandom.current().nextDouble() < duplicateProbability) {
                sendDuplicate = true;
            }
        }
        ScheduledExecutorService ex = executor;
        if (ex == null) {
            return;
        }
        try {
            if (retryIn != null) {
                // A redelivery that fails is logged by deliver itself: nothing waits on the future.
                var unused = ex.schedule(
                        () -> deliver(eventId, eventType, url, secret, body, attempt + 1, false),
                        retryIn.toMillis(),
                        TimeUnit.MILLISECONDS);
            } else if (sendDuplicate) {
                var unused = ex.schedule(
                        () -> deliver(eventId, eventType, url, secret, body, attempt + 1, true),
                        50,
                        TimeUnit.MILLISECONDS);
            }
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // simulator stopped
        }
    }
}
