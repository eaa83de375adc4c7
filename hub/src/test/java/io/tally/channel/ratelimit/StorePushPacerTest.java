package io.tally.channel.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The per-store push limit drawn from one bucket by two replicas. */
class StorePushPacerTest {

    @Test
    void twoReplicasTogetherPushAtTheStoresRate() throws InterruptedException {
        BucketDatabase.clear();
        StorePushPacer replicaA =
                new StorePushPacer(new ChannelRateLimiter(new DatabaseBucketStore(BucketDatabase.dataSource())));
        StorePushPacer replicaB =
                new StorePushPacer(new ChannelRateLimiter(new DatabaseBucketStore(BucketDatabase.dataSource())));
        long started = System.nanoTime();
        for (int i = 0; i < 10; i++) {
            replicaA.pace("erp", 10); // the second's 10 pushes, all on A
        }
        assertThat((System.nanoTime() - started) / 1_000_000)
                .as("a full second at once")
                .isLessThan(900L);
        for (int i = 0; i < 5; i++) {
            replicaB.pace("erp", 10); // B waits for the refill: 5 more at 10/s
        }
        long elapsedMs = (System.nanoTime() - started) / 1_000_000;
        assertThat(elapsedMs).as("15 pushes at 10/s with a burst of 10").isBetween(400L, 1500L);
    }
}
