package io.tally.policy;

import java.util.Locale;
import java.util.Map;

import org.springframework.boot.context.properties.bind.DefaultValue;

/** One store under {@code tally.stores.<id>}: design.md §4. Enum values are written lower-case in config. */
public record StoreProperties(
        @DefaultValue("http") Channel channel,
        @DefaultValue("peer") StoreRole role,
        @DefaultValue("sku") MatchBy matchBy,
        @DefaultValue("paid") BookOn bookOn,
        @DefaultValue("refund") RestockOn restockOn,
        AdjustmentPolicy adjustments,
        @DefaultValue("0") int safetyStock,
        Integer maxAvailable,
        @DefaultValue("100") int sharePercent,
        String location,
        String apiUrl,
        String pushUrl,
        @DefaultValue("10") int maxPushesPerSecond,
        Map<String, String> credentials) {

    public StoreProperties {
        credentials = credentials == null ? Map.of() : Map.copyOf(credentials);
        if (safetyStock < 0) {
            throw new IllegalArgumentException("safety-stock must be >= 0");
        }
        if (maxAvailable != null && maxAvailable < 0) {
            throw new IllegalArgumentException("max-available must be >= 0");
        }
        if (sharePercent < 0 || sharePercent > 100) {
            throw new IllegalArgumentException("share-percent must be between 0 and 100");
        }
        if (maxPushesPerSecond < 1) {
            throw new IllegalArgumentException("max-pushes-per-second must be >= 1");
        }
    }

    /** The configured policy, or the role's default: destinations ignore channel-side edits, others apply them. */
    public AdjustmentPolicy effectiveAdjustments() {
        if (adjustments != null) {
            return adjustments;
        }
        return role == StoreRole.DESTINATION ? AdjustmentPolicy.IGNORE : AdjustmentPolicy.APPLY;
    }

    /**
     * Marketplaces lower their own level when they take an order and raise it on a restock, before Tally hears of
     * it; the generic channel only shows what Tally pushes.
     */
    public boolean channelAdjustsOwnLevel() {
        return channel != Channel.HTTP;
    }

    /**
     * Whether a push to this channel is a compare-and-set (Shopify's {@code changeFromQuantity}): it only lands on
     * the level Tally knew, so an order the channel took before it makes it fail instead of being overwritten. Other
     * marketplaces take an absolute level (Amazon {@code patchListingsItem}, Walmart {@code PUT /v3/inventory}): a
     * push sent before Tally heard of an order can silently undo the channel's own change for that order.
     */
    public boolean pushComparesAndSets() {
        return channel == Channel.SHOPIFY;
    }

    public enum Channel { SHOPIFY, AMAZON, WALMART, HTTP }

    public enum StoreRole {
        SOURCE(2), DESTINATION(0), PEER(1);

        /** Seeding preference when an item is first linked: a master listing (rank 3) outranks every role. */
        public final int seedRank;

        StoreRole(int seedRank) {
            this.seedRank = seedRank;
        }
    }

    public enum MatchBy { SKU, BARCODE, HANDLE }

    public enum BookOn { PAID, CREATED }

    public enum RestockOn { REFUND, RETURN }

    public enum AdjustmentPolicy { APPLY, IGNORE, REVERT }

    public static String lower(Enum<?> value) {
        return value == null ? null : value.name().toLowerCase(Locale.ROOT);
    }
}
