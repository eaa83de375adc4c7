package io.tally.connector;

/**
 * A connector's push as one Java call: its route {@code direct:push-<channel>} is a bean step calling
 * {@code push(${exchangeProperty.pushCommand})} and a step keeping the answer (the body) in property
 * {@code pushOutcome}. A bean step, not a method expression: Camel runs those on a copy of the exchange, and a push may
 * leave Camel's redelivery delay on the message. A channel pushed through a Camel endpoint (the generic http channel)
 * writes the exchange in its route instead and judges the answer into a {@link PushOutcome}.
 */
@FunctionalInterface
public interface ChannelPush {

    /**
     * @return the channel's answer when it took the level or found it stale
     * @throws RuntimeException a failure: io.tally.push.RejectedPushException for good, any other to be retried
     */
    PushOutcome push(PushCommand command);
}
