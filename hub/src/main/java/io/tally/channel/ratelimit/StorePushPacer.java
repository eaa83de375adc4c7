package io.tally.channel.ratelimit;

import java.time.Duration;
import org.springframework.stereotype.Component;

/**
 * A store's push limit ({@code tally.stores.<id>.max-pushes-per-second}) as one of the {@link ChannelRateLimiter}'s
 * buckets (key {@code push/<store>}, the whole second's pushes at once, as Camel's throttle allows), so that with
 * {@code tally.rate-limits.store: database} it holds for all replicas together.
 * Step {@code pace-per-store} of route {@code push-attempt} calls it; it replaced Camel's Throttle EIP, which counted
 * in each JVM.
 */
@Component
public class StorePushPacer {

    /** One reservation waits at most this long; a longer queue is waited out in further reservations. */
    private static final Duration MAX_RESERVATION = Duration.ofSeconds(30);

    private final ChannelRateLimiter limiter;

    public StorePushPacer(ChannelRateLimiter limiter) {
        this.limiter = limiter;
    }

    /** Returns once {@code store} may push again, waiting in arrival order like the throttle it replaces. */
    public void pace(String store, int maxPerSecond) throws InterruptedException {
        Limit limit = Limit.of(maxPerSecond, maxPerSecond);
        TokenBucket bucket = limiter.bucket("push/" + store, limit);
        bucket.reconfigure(limit); // the store's configuration changed since the bucket was made (a restart)
        while (!bucket.reserve(1, MAX_RESERVATION)) {
            Thread.sleep(MAX_RESERVATION.toMillis() / 2);
        }
    }
}
