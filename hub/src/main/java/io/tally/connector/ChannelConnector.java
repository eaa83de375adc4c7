package io.tally.connector;

/**
 * One sales channel Tally talks to (shopify, amazon, walmart, http, ...): a Spring bean found by its channel name
 * ({@link ConnectorRegistry}), which is what a store's {@code channel:} names in config.
 *
 * <p>A connector brings, in its own package and route files:
 * <ul>
 *   <li>its traits ({@link ConnectorTraits}), the only thing core code asks about a channel;</li>
 *   <li>the route {@code direct:push-<channel>} (routes/push/push-<channel>.camel.yaml), which route push-attempt fans
 *       out to (its recipient list {@code push-via-channel}). It receives the exchange with property {@code pushCommand} ({@link io.tally.connector.PushCommand}) and
 *       leaves the channel's answer as a {@link PushOutcome} in property {@code pushOutcome}; a failure is thrown
 *       (io.tally.push.RetryablePushException, ThrottledPushException, RejectedPushException; anything else is
 *       retried). A channel whose push is one Java call implements {@link ChannelPush} and its route is two steps.</li>
 * </ul>
 * Optional capabilities stay beans of their own, found per store: reading a store's levels is an
 * {@link io.tally.reconcile.ChannelReader}, an order feed is the connector's own poller or webhook routes. A connector
 * bean itself depends on nothing: {@link io.tally.policy.StoreRegistry} needs every connector's traits to start.
 * Adding a channel adds a connector package and its routes; no core file names channels.
 */
public interface ChannelConnector {

    /** The channel's name in config ({@code tally.stores.<id>.channel}): lower case, unique among connectors. */
    String channel();

    ConnectorTraits traits();
}
