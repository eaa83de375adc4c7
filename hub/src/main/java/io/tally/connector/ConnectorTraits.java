package io.tally.connector;

/**
 * What core code needs to know about a channel, instead of asking which channel it is.
 *
 * @param adjustsOwnLevel the channel lowers its level when it takes an order and raises it on a restock, before Tally
 *                        hears of it (a marketplace). False for a channel that only shows what Tally pushes (the
 *                        generic http channel): it has no level of its own to judge.
 * @param comparesAndSets a push only lands on the level Tally knew (Shopify's {@code changeFromQuantity}), so an
 *                        order the channel took before it makes it come back {@link PushOutcome.Stale} instead of
 *                        overwriting it. False for an absolute set (Amazon {@code patchListingsItem}, Walmart
 *                        {@code PUT /v3/inventory}): a push sent before Tally heard of an order can silently undo the
 *                        channel's own change for that order.
 */
public record ConnectorTraits(boolean adjustsOwnLevel, boolean comparesAndSets) {

    public ConnectorTraits {
        if (comparesAndSets && !adjustsOwnLevel) {
            // Nothing moves such a channel's level but Tally: a compare could never be stale.
            throw new IllegalArgumentException("a channel that compares and sets must adjust its own level");
        }
    }

    /** A marketplace whose push is a compare-and-set against the level Tally knew. */
    public static ConnectorTraits marketplaceComparingAndSetting() {
        return new ConnectorTraits(true, true);
    }

    /** A marketplace whose push sets an absolute level. */
    public static ConnectorTraits marketplaceSettingAbsoluteLevels() {
        return new ConnectorTraits(true, false);
    }

    /** A channel that holds only what Tally pushes to it. */
    public static ConnectorTraits showsOnlyWhatTallyPushes() {
        return new ConnectorTraits(false, false);
    }
}
