package io.tally.channel.http;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class HttpChannelPushTest {

    @Test
    void retryAfterInSecondsBecomesMillis() {
        assertThat(HttpChannelPush.retryAfterMillis("2")).isEqualTo(2000L);
        assertThat(HttpChannelPush.retryAfterMillis(" 0.5 ")).isEqualTo(500L);
    }

    @Test
    void missingOrDateRetryAfterFallsBackToBackoff() {
        assertThat(HttpChannelPush.retryAfterMillis(null)).isNull();
        assertThat(HttpChannelPush.retryAfterMillis("Wed, 21 Oct 2015 07:28:00 GMT"))
                .isNull();
    }
}
