package io.tally.sandbox.shopify;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Sends one shop's webhooks the way Shopify does: asynchronously, HMAC-signed, at least once.
 *
 * <p>A single sender thread per shop takes deliveries in the order they were fired (then by due time,
 * so a delivery waiting for its retry does not block later ones, which is how real out-of-order
 * arrival happens). A non-2xx answer, a connection failure or a timeout is retried up to
 * {@code maxRetries} times with exponential backoff; retries resend the original bytes and keep the
 * {@code X-Shopify-Event-Id}. Duplicates, varying webhook ids, holding and reordering and a one-shot
 * wrong signature can be switched on so the hub's dedupe, ordering and rejection paths can be tested.
 */
public final class WebhookDispatcher {

    /** Order in which {@link #release(Release)} sends the held webhooks. */
    public enum Release {
        IN_ORDER,
        REVERSED,
        SHUFFLED
    }

    /** One webhook as fired: the payload is fixed at trigger time. */
    public record Event(String eventId, String topic, byte[] body, Instant triggeredAt, String apiVersion) {
        public String bodyText() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    /**
     * One delivery attempt. {@code status} is the receiver's HTTP status or -1 for a connection failure or
     * timeout; {@code copy} is 0 for the original delivery and 1.. for duplicates; {@code attempt} starts at 1.
     */
    public record Delivery(
            Instant at,
            String topic,
            String eventId,
            String webhookId,
            int copy,
            int attempt,
            int status,
            boolean signatureTampered,
            boolean finalFailure,
            String body) {
        public boolean succeeded() {
            return status >= 200 && status < 300;
        }
    }

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
    private final Object lock = new Object();
    private final PriorityQueue<Task> queue =
            new PriorityQueue<>(Comparator.<Task>comparingLong(t -> t.dueNanos).thenComparingLong(t -> t.seq));
    private final List<Event> held = new ArrayList<>();
    private final List<Event> fired = new ArrayList<>();
    private final List<Delivery> deliveries = new ArrayList<>();
    private final AtomicLong seq = new AtomicLong();
    private final HttpClient http;
    private Random random = new Random();
    private boolean holding;
    private int tamperNext;
    private Integer copiesOverride;
    private int inFlight;
    private volatile boolean running = true;
    private final Thread sender;

    WebhookDispatcher(Shop shop) {
        this.shop = shop;
        this.http =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        this.sender = new Thread(this::run, "shopify-sim-webhooks-" + shop.name());
        this.sender.setDaemon(true);
        this.sender.start();
    }

    /** Fire a webhook now: it is queued (or held) and sent by the sender thread. */
    Event fire(String topic, byte[] body, String apiVersion) {
        Event e = new Event(UUID.randomUUID().toString(), topic, body, Instant.now(), apiVersion);
        synchronized (lock) {
            fired.add(e);
            if (holding) {
                held.add(e);
            } else {
                enqueue(e);
            }
            lock.notifyAll();
        }
        return e;
    }

    private void enqueue(Event e) {
        int copies = 1
                + (copiesOverride != null ? copiesOverride - 1 : shop.settings().duplicateDeliveries());
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

    /** Collect fired webhooks without sending them until {@link #release(Release)}. */
    public void hold() {
        synchronized (lock) {
            holding = true;
        }
    }

    /** Stop holding and send the held webhooks in the given order. */
    public void release(Release order) {
        synchronized (lock) {
            holding = false;
            List<Event> list = new ArrayList<>(held);
            held.clear();
            if (order == Release.REVERSED) {
                Collections.reverse(list);
            } else if (order == Release.SHUFFLED) {
                Collections.shuffle(list, random);
            }
            list.forEach(this::enqueue);
            lock.notifyAll();
        }
    }

    /** Seed for {@link Release#SHUFFLED}, for reproducible tests. */
    public void shuffleSeed(long seed) {
        synchronized (lock) {
            random = new Random(seed);
        }
    }

    /** Deliver every webhook fired from now on {@code n} times (overrides {@code duplicateDeliveries}); 0 = back to the setting. */
    public void deliverEachTimes(int n) {
        synchronized (lock) {
            copiesOverride = n <= 0 ? null : n;
        }
    }

    /** The next delivery attempt carries a wrong HMAC. */
    public void tamperNextSignature() {
        synchronized (lock) {
            tamperNext++;
        }
    }

    /** Deliveries not yet finished (queued, waiting for a retry or in flight); held ones are not counted. */
    public int pending() {
        synchronized (lock) {
            return queue.size() + inFlight;
        }
    }

    /** Webhooks held by {@link #hold()}. */
    public int held() {
        synchronized (lock) {
            return held.size();
        }
    }

    /** Wait until nothing is pending; false if the time ran out first. */
    public boolean awaitDelivered(Duration max) {
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

    /** Every webhook fired so far, oldest first. */
    public List<Event> fired() {
        synchronized (lock) {
            return List.copyOf(fired);
        }
    }

    /** Every delivery attempt so far, oldest first. */
    public List<Delivery> deliveries() {
        synchronized (lock) {
            return List.copyOf(deliveries);
        }
    }

    /** Forget the fired and delivery history (queued deliveries are kept). */
    public void clearHistory() {
        synchronized (lock) {
            fired.clear();
            deliveries.clear();
        }
    }

    /** Called when the shop's webhook URL is set, so queued webhooks go out. */
    void wake() {
        synchronized (lock) {
            lock.notifyAll();
        }
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
        String hmac = hmac(tamper ? s.webhookSecret() + "-tampered" : s.webhookSecret(), t.event.body());
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

    /** Base64 HMAC-SHA256 of the raw body, as in {@code X-Shopify-Hmac-Sha256}. */
    public static String hmac(String secret, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return Base64.getEncoder().encodeToString(mac.doFinal(body));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
