package io.tally.channel.walmart;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The client-side picture of one Walmart limit. */
class WalmartPaceTest {

    @Test
    void aFullMinuteOfCallsGoesAtOnceThenOneEveryShareOfTheMinute() {
        WalmartPace pace = new WalmartPace(120);
        for (int i = 0; i < 120; i++) {
            assertThat(pace.reserve()).as("call %d", i).isZero();
        }
        assertThat(pace.reserve()).as("the 121st waits about half a second").isBetween(1L, 500L);
    }

    @Test
    void a429BlocksUntilWalmartsReplenishTime() {
        WalmartPace pace = new WalmartPace(200);
        long wait = pace.throttled(System.currentTimeMillis() + 2000, 0L);
        assertThat(wait).isBetween(1900L, 2000L);
        assertThat(pace.reserve()).isBetween(1800L, 2000L);
    }
}
