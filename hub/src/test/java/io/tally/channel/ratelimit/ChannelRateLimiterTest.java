package io.tally.channel.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The client-side limits of each channel, as the API clients use them. */
class ChannelRateLimiterTest {

    private final ChannelRateLimiter limiter = new ChannelRateLimiter(new LocalBucketStore());

    // ---- Walmart: a limit per minute that refills gradually; a 429 waits until x-next-replenish-time.

    @Test
    void aFullMinuteOfCallsGoesAtOnceThenOneEveryShareOfTheMinute() {
        TokenBucket pace = limiter.bucket("walmart/s/update", Limit.perMinute(120));
        for (int i = 0; i < 120; i++) {
            assertThat(pace.takeOrNanosToWait(1)).as("call %d", i).isZero();
        }
        assertThat(TimeUnit.NANOSECONDS.toMillis(pace.takeOrNanosToWait(1)))
                .as("the 121st waits about half a second")
                .isBetween(1L, 500L);
    }

    @Test
    void a429BlocksUntilWalmartsReplenishTime() {
        TokenBucket pace = limiter.bucket("walmart/s/get", Limit.perMinute(200));
        long wait = pace.throttledUntil(0L, System.currentTimeMillis() + 2000);
        assertThat(wait).isBetween(1900L, 2000L);
        assertThat(TimeUnit.NANOSECONDS.toMillis(pace.takeOrNanosToWait(1))).isBetween(1800L, 2000L);
        assertThat(pace.available()).as("Walmart said it had no tokens left").isZero();
    }

    @Test
    void a429WithoutAReplenishTimeWaitsOneTokensWorth() {
        TokenBucket pace = limiter.bucket("walmart/s/orders", Limit.perMinute(60));
        assertThat(pace.throttledUntil(3L, null)).isBetween(900L, 1000L);
        assertThat(pace.available()).isEqualTo(3);
    }

    // ---- Amazon: rate and burst per operation; a reservation queues callers; a 429 empties the bucket.

    @Test
    void theBurstGoesAtOnceThenReservationsQueueAtTheRate() throws InterruptedException {
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

    @Test
    void a429EmptiesTheBucketAndALowerReportedRateReplacesTheConfiguredOne() {
        TokenBucket bucket = limiter.bucket("amazon/s/get-orders", Limit.of(5, 10));
        bucket.empty();
        assertThat(bucket.available()).isZero();
        bucket.lowerRateTo(0.5);
        assertThat(bucket.limit().perSecond()).isEqualTo(0.5);
        bucket.lowerRateTo(2);
        assertThat(bucket.limit().perSecond()).as("a higher rate is not taken").isEqualTo(0.5);
        assertThat(TimeUnit.NANOSECONDS.toMillis(bucket.takeOrNanosToWait(1))).isBetween(1500L, 2000L);
    }

    @Test
    void aSlowRateLikeGetOrdersOnceAMinuteIsKept() {
        TokenBucket bucket = limiter.bucket("amazon/s/slow", new Limit(0.0167, 20, 0));
        assertThat(TimeUnit.NANOSECONDS.toMillis(bucket.takeOrNanosToWait(1))).isBetween(59_000L, 60_000L);
    }

    // ---- Shopify: a cost bucket whose figures come from the answers.

    @Test
    void aCostIsTakenRefundedAndLoweredToWhatTheChannelReports() {
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

    @Test
    void oneKeyIsOneBucket() {
        TokenBucket first = limiter.bucket("k", Limit.of(1, 1));
        assertThat(limiter.bucket("k", Limit.of(100, 100))).isSameAs(first);
        assertThat(first.tryTake(1)).isTrue();
        assertThat(limiter.bucket("k", Limit.of(100, 100)).tryTake(1)).isFalse();
    }
}
