package io.tally.channel.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The client-side limits of each channel, as the API clients use them, with the buckets in this JVM and in PostgreSQL
 * (a real one: {@link BucketDatabase}).
 */
class ChannelRateLimiterTest {

    /** The two {@link BucketStore}s, as {@code tally.rate-limits.store} names them. */
    enum Store {
        LOCAL,
        DATABASE;

        ChannelRateLimiter limiter() {
            if (this == LOCAL) {
                return new ChannelRateLimiter(new LocalBucketStore());
            }
            BucketDatabase.clear();
            return new ChannelRateLimiter(new DatabaseBucketStore(BucketDatabase.dataSource()));
        }
    }

    // ---- Walmart: a limit per minute that refills gradually; a 429 waits until x-next-replenish-time.

    @ParameterizedTest
    @EnumSource(Store.class)
    void aFullMinuteOfCallsGoesAtOnceThenOneEveryShareOfTheMinute(Store store) {
        ChannelRateLimiter limiter = store.limiter();
        TokenBucket pace = limiter.bucket("walmart/s/update", Limit.perMinute(120));
        long start = System.nanoTime();
        for (int i = 0; i < 120; i++) {
            assertThat(pace.takeOrNanosToWait(1)).as("call %d", i).isZero();
        }
        // The bucket refills at 2 per second while the 120 are taken (a database take is several ms on a busy
        // machine), so a few more may go at once; no more than the refill allows, then the next one waits.
        int refilled = 0;
        long wait;
        while ((wait = pace.takeOrNanosToWait(1)) == 0) {
            refilled++;
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        assertThat(refilled)
                .as("calls beyond the minute's 120 after %.2f s at 2 per second", seconds)
                .isLessThanOrEqualTo((int) Math.ceil(seconds * 2) + 1);
        assertThat(TimeUnit.NANOSECONDS.toMillis(wait))
                .as("then one waits about half a second")
                .isBetween(0L, 500L);
    }

    @ParameterizedTest
    @EnumSource(Store.class)
    void a429BlocksUntilWalmartsReplenishTime(Store store) {
        ChannelRateLimiter limiter = store.limiter();
        TokenBucket pace = limiter.bucket("walmart/s/get", Limit.perMinute(200));
        long wait = pace.throttledUntil(0L, System.currentTimeMillis() + 2000);
        assertThat(wait).isBetween(1900L, 2000L);
        assertThat(TimeUnit.NANOSECONDS.toMillis(pace.takeOrNanosToWait(1))).isBetween(1800L, 2000L);
        assertThat(pace.available()).as("Walmart said it had no tokens left").isZero();
    }

    @ParameterizedTest
    @EnumSource(Store.class)
    void a429WithoutAReplenishTimeWaitsOneTokensWorth(Store store) {
        ChannelRateLimiter limiter = store.limiter();
        TokenBucket pace = limiter.bucket("walmart/s/orders", Limit.perMinute(60));
        assertThat(pace.throttledUntil(3L, null)).isBetween(900L, 1000L);
        assertThat(pace.available()).isEqualTo(3);
    }

    // ---- Amazon: rate and burst per operation; a reservation queues callers; a 429 empties the bucket.

    @ParameterizedTest
    @EnumSource(Store.class)
    void theBurstGoesAtOnceThenReservationsQueueAtTheRate(Store store) throws InterruptedException {
        ChannelRateLimiter limiter = store.limiter();
        TokenBucket bucket = limiter.bucket("amazon/s/patch", Limit.of(20, 3));
        for (int i = 0; i < 3; i++) {
            assertThat(bucket.tryTake(1)).as("burst call %d", i).isTrue();
        }
        assertThat(bucket.tryTake(1)).as("no token without waiting").isFalse();
        long started = System.nanoTime();
        assertThat(bucket.reserve(1, Duration.ofSeconds(1))).isTrue();
        assertThat(bucket.reserve(1, Duration.ofSeconds(1))).isTrue();
        long waitedMs = (System.nanoTime() - started) / 1_000_000;
        assertThat(waitedMs).as("two tokens at 20/s").isBetween(80L, 400L);
        assertThat(bucket.reserve(1, Duration.ZERO))
                .as("a wait longer than allowed takes nothing")
                .isFalse();
    }

    @ParameterizedTest
    @EnumSource(Store.class)
    void a429EmptiesTheBucketAndALowerReportedRateReplacesTheConfiguredOne(Store store) {
        ChannelRateLimiter limiter = store.limiter();
        TokenBucket bucket = limiter.bucket("amazon/s/get-orders", Limit.of(5, 10));
        bucket.empty();
        assertThat(bucket.available()).isZero();
        bucket.lowerRateTo(0.5);
        assertThat(bucket.limit().perSecond()).isEqualTo(0.5);
        bucket.lowerRateTo(2);
        assertThat(bucket.limit().perSecond()).as("a higher rate is not taken").isEqualTo(0.5);
        assertThat(TimeUnit.NANOSECONDS.toMillis(bucket.takeOrNanosToWait(1))).isBetween(1500L, 2000L);
    }

    @ParameterizedTest
    @EnumSource(Store.class)
    void aSlowRateLikeGetOrdersOnceAMinuteIsKept(Store store) {
        ChannelRateLimiter limiter = store.limiter();
        TokenBucket bucket = limiter.bucket("amazon/s/slow", new Limit(0.0167, 20, 0));
        assertThat(TimeUnit.NANOSECONDS.toMillis(bucket.takeOrNanosToWait(1))).isBetween(59_000L, 60_000L);
    }

    // ---- Shopify: a cost bucket whose figures come from the answers.

    @ParameterizedTest
    @EnumSource(Store.class)
    void aCostIsTakenRefundedAndLoweredToWhatTheChannelReports(Store store) {
        ChannelRateLimiter limiter = store.limiter();
        TokenBucket cost = limiter.bucket("shopify/s", new Limit(50, 1000, 400));
        assertThat(cost.takeOrNanosToWait(100)).isZero();
        cost.refund(60); // the call cost 40, not 100
        assertThat(cost.available()).isBetween(360L, 370L);
        cost.charge(cost.available() - 200); // Shopify has 200 left
        assertThat(cost.available()).isBetween(200L, 205L);
        cost.reconfigure(new Limit(100, 2000, 0));
        assertThat(cost.limit().capacity()).isEqualTo(2000);
        assertThat(cost.available()).as("points counted so far are kept").isBetween(200L, 210L);
        assertThat(cost.takeOrNanosToWait(500)).as("300 points at 100/s").isBetween(2_800_000_000L, 3_000_000_000L);
    }

    @ParameterizedTest
    @EnumSource(Store.class)
    void oneKeyIsOneBucket(Store store) {
        ChannelRateLimiter limiter = store.limiter();
        TokenBucket first = limiter.bucket("k", Limit.of(1, 1));
        assertThat(limiter.bucket("k", Limit.of(100, 100))).isSameAs(first);
        assertThat(first.tryTake(1)).isTrue();
        assertThat(limiter.bucket("k", Limit.of(100, 100)).tryTake(1)).isFalse();
    }
}
