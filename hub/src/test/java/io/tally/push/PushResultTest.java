package io.tally.push;

import static org.assertj.core.api.Assertions.assertThat;

import io.tally.channel.walmart.WalmartThrottledException;
import java.net.ConnectException;
import org.apache.camel.RuntimeCamelException;
import org.junit.jupiter.api.Test;

/** The push-result vocabulary: how a channel route's outcome maps onto the five documented results. */
class PushResultTest {

    @Test
    void anAttemptWithoutExceptionIsConfirmedUnlessTheCompareAndSetWasStale() {
        assertThat(PushResult.of(null, false)).isEqualTo(PushResult.CONFIRMED);
        assertThat(PushResult.of(null, true)).isEqualTo(PushResult.STALE);
    }

    @Test
    void serverErrorsTimeoutsAndRefusedConnectionsAreRetryableFailuresOnEveryChannel() {
        assertThat(PushResult.of(new RetryablePushException("Shopify store s answered HTTP 503"), false))
                .isEqualTo(PushResult.RETRYABLE_FAILURE);
        assertThat(PushResult.of(new ConnectException("Connection refused"), false))
                .isEqualTo(PushResult.RETRYABLE_FAILURE);
        assertThat(PushResult.of(new RuntimeCamelException(new RetryablePushException("HTTP 502")), false))
                .isEqualTo(PushResult.RETRYABLE_FAILURE);
    }

    @Test
    void throttlingAndFinalRefusalsHaveTheirOwnResults() {
        assertThat(PushResult.of(new ThrottledPushException("HTTP 429"), false)).isEqualTo(PushResult.THROTTLED);
        assertThat(PushResult.of(new WalmartThrottledException("429", 1000), false))
                .isEqualTo(PushResult.THROTTLED);
        assertThat(PushResult.of(new RuntimeCamelException(new RejectedPushException("HTTP 422")), false))
                .isEqualTo(PushResult.REJECTED);
    }

    @Test
    void tagsAreTheDocumentedLowerCaseNames() {
        assertThat(java.util.Arrays.stream(PushResult.values()).map(PushResult::tag))
                .containsExactly("confirmed", "stale", "throttled", "retryable_failure", "rejected");
    }

    @Test
    void theLoggedAnswerIsOneLineWithTheChannelsWords() {
        assertThat(PushEpisodes.answer(
                        new RuntimeCamelException(new RetryablePushException("HTTP 503 \"down\nfor maintenance\""))))
                .isEqualTo("HTTP 503 \"down for maintenance\"");
        assertThat(PushEpisodes.answer(new ConnectException("Connection refused")))
                .isEqualTo("ConnectException: Connection refused");
        assertThat(PushEpisodes.answer(new RetryablePushException("x".repeat(500))))
                .hasSize(301);
    }
}
