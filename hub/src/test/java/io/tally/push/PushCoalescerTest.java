package io.tally.push;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PushCoalescerTest {

    private final PushCoalescer coalescer = new PushCoalescer();

    @Test
    void aListingIsQueuedOnceUntilItsPushStarts() {
        assertThat(coalescer.offer(1L)).isTrue();
        assertThat(coalescer.offer(1L)).isFalse();
        assertThat(coalescer.offer(2L)).isTrue();
    }

    @Test
    void aRequestDuringAPushRunsItOnceMoreAfter() {
        coalescer.offer(1L);
        coalescer.begin(1L);
        assertThat(coalescer.offer(1L)).isFalse();
        assertThat(coalescer.offer(1L)).isFalse();
        assertThat(coalescer.finish(1L)).isTrue();
        coalescer.begin(1L);
        assertThat(coalescer.finish(1L)).isFalse();
        assertThat(coalescer.offer(1L)).isTrue();
    }

    @Test
    void aFinishedPushFreesTheListing() {
        coalescer.offer(1L);
        coalescer.begin(1L);
        assertThat(coalescer.finish(1L)).isFalse();
        assertThat(coalescer.queued()).isZero();
    }

    @Test
    void aWithdrawnMarkLetsTheNextRequestQueueTheListing() {
        assertThat(coalescer.offer(1L)).isTrue();
        coalescer.withdraw(1L);
        assertThat(coalescer.offer(1L))
                .as("a listing that never reached the queue stays eligible")
                .isTrue();
    }

    @Test
    void withdrawLeavesAPushInFlightAlone() {
        coalescer.offer(1L);
        coalescer.begin(1L);
        coalescer.withdraw(1L);
        assertThat(coalescer.offer(1L)).isFalse();
        assertThat(coalescer.finish(1L))
                .as("the request during the push still runs it once more")
                .isTrue();
    }
}
