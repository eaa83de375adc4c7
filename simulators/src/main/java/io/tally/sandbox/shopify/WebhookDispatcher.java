package io.tally.sandbox.shopify;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.UUID;
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

    // Firing, holding and releasing happen here; the queue, the sender thread, retries and the delivery log are in
    // WebhookSender, which shares this lock.

    private final Shop shop;
    private final Object lock = new Object();
    private final List<Event> held = new ArrayList<>();
    private final List<Event> fired = new ArrayList<>();
    private Random random = new Random();
    private boolean holding;
    private Integer copiesOverride;
    private final WebhookSender sender;

    WebhookDispatcher(Shop shop) {
        this.shop = shop;
        this.sender = new WebhookSender(shop, lock);
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
        sender.enqueue(e, copies);
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
        sender.tamperNextSignature();
    }

    /** Deliveries not yet finished (queued, waiting for a retry or in flight); held ones are not counted. */
    public int pending() {
        return sender.pending();
    }

    /** Webhooks held by {@link #hold()}. */
    public int held() {
        synchronized (lock) {
            return held.size();
        }
    }

    /** Wait until nothing is pending; false if the time ran out first. */
    public boolean awaitDelivered(Duration max) {
        return sender.awaitDelivered(max);
    }

    /** Every webhook fired so far, oldest first. */
    public List<Event> fired() {
        synchronized (lock) {
            return List.copyOf(fired);
        }
    }

    /** Every delivery attempt so far, oldest first. */
    public List<Delivery> deliveries() {
        return sender.deliveries();
    }

    /** Forget the fired and delivery history (queued deliveries are kept). */
    public void clearHistory() {
        synchronized (lock) {
            fired.clear();
            sender.clearDeliveries();
        }
    }

    /** Called when the shop's webhook URL is set, so queued webhooks go out. */
    void wake() {
        synchronized (lock) {
            lock.notifyAll();
        }
    }

    void shutdown() {
        sender.shutdown();
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
