package io.tally.connector;

/**
 * One push of one listing's target to its channel: what a channel connector's push route receives (exchange
 * property {@code pushCommand}, see {@link io.tally.connector.ChannelConnector}).
 *
 * @param channel         the store's channel connector, whose route {@code direct:push-<channel>} pushes it
 * @param knownLevel      the level Tally believed the channel held when the push was planned (compare-and-set)
 * @param channelItem     the channel's id of what is pushed (a Shopify inventory item), when it has one
 * @param channelLocation the channel's location the level belongs to, when it has locations
 * @param selfAdjusting   the channel lowers and raises its own level with its orders and the push is a compare-and-set,
 *                        so its moves since the plan are carried over at confirm (see
 *                        {@link io.tally.connector.ConnectorTraits}); false for absolute sets
 */
public record PushCommand(
        long listingId,
        String store,
        String channel,
        String ref,
        String sku,
        long level,
        long version,
        String pushUrl,
        int maxPerSecond,
        Long knownLevel,
        String channelItem,
        String channelLocation,
        boolean selfAdjusting) {}
