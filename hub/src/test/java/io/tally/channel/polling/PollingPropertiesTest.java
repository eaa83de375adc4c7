package io.tally.channel.polling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** How long a store's polls pause after failures in a row. */
class PollingPropertiesTest {

    @Test
    void theDefaultPollsEveryIntervalWhateverFailed() {
        PollingProperties defaults = new PollingProperties(0, 300_000);
        assertThat(defaults.backoffMs(1)).isZero();
        assertThat(defaults.backoffMs(50)).isZero();
    }

    @Test
    void aBackOffDoublesWithEachFailureUpToItsMaximum() {
        PollingProperties backoff = new PollingProperties(1000, 5000);
        assertThat(backoff.backoffMs(0)).isZero();
        assertThat(backoff.backoffMs(1)).isEqualTo(1000);
        assertThat(backoff.backoffMs(2)).isEqualTo(2000);
        assertThat(backoff.backoffMs(3)).isEqualTo(4000);
        assertThat(backoff.backoffMs(4)).isEqualTo(5000);
        assertThat(backoff.backoffMs(1000)).isEqualTo(5000);
    }

    @Test
    void aMaximumBelowTheStartIsRefused() {
        assertThatThrownBy(() -> new PollingProperties(1000, 500)).isInstanceOf(IllegalArgumentException.class);
    }
}
