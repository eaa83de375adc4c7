package io.tally.channel.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Two replicas (two limiters) over one PostgreSQL: what one takes, or learns from a channel, holds for the other.
 */
class DatabaseBucketStoreTest {

    private ChannelRateLimiter replicaA;
    private ChannelRateLimiter replicaB;

    @BeforeEach
    void twoReplicas() {
        BucketDatabase.clear();
        replicaA = new ChannelRateLimiter(new DatabaseBucketStore(BucketDatabase.dataSource()));
        replicaB = new ChannelRateLimiter(new DatabaseBucketStore(BucketDatabase.dataSource()));
    }

    @Test
    void theReplicasShareOneBurst() {
        TokenBucket a = replicaA.bucket("amazon/s/patch", Limit.of(0.1, 4));
        TokenBucket b = replicaB.bucket("amazon/s/patch", Limit.of(0.1, 4));
        assertThat(a.tryTake(1)).isTrue();
        assertThat(b.tryTake(1)).isTrue();
        assertThat(a.tryTake(1)).isTrue();
        assertThat(b.tryTake(1)).isTrue();
        assertThat(a.tryTake(1)).as("4 calls in all, not 4 per replica").isFalse();
        assertThat(b.tryTake(1)).isFalse();
    }

    @Test
    void aRateOneReplicaLearnedPacesTheOtherAndIsWhatANewReplicaStartsWith() {
        TokenBucket a = replicaA.bucket("amazon/s/get-orders", Limit.of(5, 10));
        TokenBucket b = replicaB.bucket("amazon/s/get-orders", Limit.of(5, 10));
        a.empty(); // a 429 on replica A
        a.lowerRateTo(0.5); // and Amazon's x-amzn-RateLimit-Limit: 0.5
        assertThat(b.available()).isZero();
        assertThat(TimeUnit.NANOSECONDS.toMillis(b.takeOrNanosToWait(1)))
                .as("B waits for a token at A's lowered rate")
                .isBetween(1500L, 2000L);
        ChannelRateLimiter replicaC = new ChannelRateLimiter(new DatabaseBucketStore(BucketDatabase.dataSource()));
        assertThat(replicaC.bucket("amazon/s/get-orders", Limit.of(5, 10))
                        .limit()
                        .perSecond())
                .isEqualTo(0.5);
    }

    @Test
    void walmartsTokenCountAfterA429HoldsForEveryReplica() {
        TokenBucket a = replicaA.bucket("walmart/s/update", Limit.perMinute(120));
        TokenBucket b = replicaB.bucket("walmart/s/update", Limit.perMinute(120));
        a.throttledUntil(0L, System.currentTimeMillis() + 2000);
        assertThat(b.available()).isZero();
        assertThat(TimeUnit.NANOSECONDS.toMillis(b.takeOrNanosToWait(1)))
                .as("B, not paused itself, waits one token's worth at Walmart's count")
                .isBetween(1L, 500L);
    }

    @Test
    void aShopifyRefundAndResyncOnOneReplicaAreSeenByTheOther() {
        TokenBucket a = replicaA.bucket("shopify/s", new Limit(50, 1000, 400));
        TokenBucket b = replicaB.bucket("shopify/s", new Limit(50, 1000, 1000));
        assertThat(b.available()).as("B found A's bucket").isBetween(400L, 410L);
        assertThat(a.takeOrNanosToWait(100)).isZero();
        b.refund(60);
        assertThat(a.available()).isBetween(360L, 375L);
        a.reconfigure(new Limit(100, 2000, 0)); // Shopify reported a larger bucket to A
        assertThat(replicaB.bucket("shopify/s", new Limit(50, 1000, 0)).takeOrNanosToWait(500))
                .as("B pays at A's new restore rate: about 130 points at 100/s")
                .isBetween(1_000_000_000L, 1_500_000_000L);
    }

    @Test
    void forgetStartsTheBucketAgainFromTheConfiguredLimit() {
        DatabaseBucketStore store = new DatabaseBucketStore(BucketDatabase.dataSource());
        TokenBucket bucket = new ChannelRateLimiter(store).bucket("amazon/s/x", Limit.of(0.1, 2));
        assertThat(bucket.tryTake(2)).isTrue();
        assertThat(bucket.tryTake(1)).isFalse();
        store.forget("amazon/s/x");
        assertThat(bucket.tryTake(2)).as("recreated full").isTrue();
    }

    /**
     * Not a timed assertion (the machine is shared): prints what one take costs in each store, for docs/scaling.md
     * and the choice of {@code tally.rate-limits.store}.
     */
    @Test
    void costOfOneTakeLocalVersusDatabase() {
        int calls = 2000;
        // Warm-up (class loading, JIT, the pool's connections) on buckets of their own.
        timeTakes(new ChannelRateLimiter(new LocalBucketStore()).bucket("warm", Limit.of(1e-6, 50_000)), 50_000);
        timeTakes(replicaA.bucket("warm", Limit.of(1e-6, 200)), 200);
        TokenBucket local = new ChannelRateLimiter(new LocalBucketStore()).bucket("bench", Limit.of(1e-6, calls));
        TokenBucket shared = replicaA.bucket("bench", Limit.of(1e-6, calls));
        long localNanos = timeTakes(local, calls);
        long sharedNanos = timeTakes(shared, calls);
        System.out.printf(
                "[bucket cost] tryTake over %d calls: local %.2f us/call, database %.0f us/call (%.0fx)%n",
                calls, localNanos / 1e3 / calls, sharedNanos / 1e3 / calls, (double) sharedNanos / localNanos);
        assertThat(local.tryTake(1))
                .as("the local bucket gave exactly its capacity")
                .isFalse();
        assertThat(shared.tryTake(1))
                .as("the shared bucket gave exactly its capacity")
                .isFalse();
    }

    /** Takes one token {@code calls} times; each must succeed (the bucket holds them all). */
    private static long timeTakes(TokenBucket bucket, int calls) {
        int taken = 0;
        long started = System.nanoTime();
        for (int i = 0; i < calls; i++) {
            taken += bucket.tryTake(1) ? 1 : 0;
        }
        long elapsed = System.nanoTime() - started;
        assertThat(taken).isEqualTo(calls);
        return elapsed;
    }
}
