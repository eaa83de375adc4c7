package io.tally.policy;

import io.tally.connector.ConnectorTraits;
import java.util.Locale;
import java.util.Map;
import org.springframework.boot.context.properties.bind.ConstructorBinding;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * One store under {@code tally.stores.<id>}: design.md §4. Enum values are written lower-case in config.
 *
 * @param channel the name of the store's channel connector (io.tally.connector.ConnectorRegistry), lower case
 * @param traits  the channel's traits, attached by {@link StoreRegistry} (null until then: a channel that only
 *                shows what Tally pushes)
 */
public record StoreProperties(
        String channel,
        StoreRole role,
        MatchBy matchBy,
        BookOn bookOn,
        RestockOn restockOn,
        AdjustmentPolicy adjustments,
        int safetyStock,
        Integer maxAvailable,
        int sharePercent,
        String location,
        String apiUrl,
        String pushUrl,
        int maxPushesPerSecond,
        Map<String, String> credentials,
        ConnectorTraits traits) {

    /** As bound from config: the channel's traits are not config, {@link StoreRegistry} adds them. */
    @ConstructorBinding
    public StoreProperties(
            @DefaultValue("http") String channel,
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
        this(
                channel,
                role,
                matchBy,
                bookOn,
                restockOn,
                adjustments,
                safetyStock,
                maxAvailable,
                sharePercent,
                location,
                apiUrl,
                pushUrl,
                maxPushesPerSecond,
                credentials,
                null);
    }

    public StoreProperties {
        channel = channel == null || channel.isBlank() ? "http" : channel.trim().toLowerCase(Locale.ROOT);
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

    /** This store with its channel's traits. */
    public StoreProperties withTraits(ConnectorTraits channelTraits) {
        return new StoreProperties(
                channel,
                role,
                matchBy,
                bookOn,
                restockOn,
                adjustments,
                safetyStock,
                maxAvailable,
                sharePercent,
                location,
                apiUrl,
                pushUrl,
                maxPushesPerSecond,
                credentials,
                channelTraits);
    }

    /** {@link ConnectorTraits#adjustsOwnLevel()}: marketplaces move their own level with their orders. */
    public boolean channelAdjustsOwnLevel() {
        return traits != null && traits.adjustsOwnLevel();
    }

    /** {@link ConnectorTraits#comparesAndSets()}: a push only lands on the level Tally knew. */
    public boolean pushComparesAndSets() {
        return traits != null && traits.comparesAndSets();
    }

    public boolean isOn(String channelName) {
        return channel.equals(channelName);
    }

    public enum StoreRole {
        SOURCE(2),
        DESTINATION(0),
        PEER(1);

        /** Seeding preference when an item is first linked: a master listing (rank 3) outranks every role. */
        public final int seedRank;

        StoreRole(int seedRank) {
            this.seedRank = seedRank;
        }
    }

    public enum MatchBy {
        SKU,
        BARCODE,
        HANDLE
    }

    public enum BookOn {
        PAID,
        CREATED
    }

    public enum RestockOn {
        REFUND,
        RETURN
    }

    public enum AdjustmentPolicy {
        APPLY,
        IGNORE,
        REVERT
    }

    public static String lower(Enum<?> value) {
        return value == null ? null : value.name().toLowerCase(Locale.ROOT);
    }

    /** A channel name is lower case already; kept for io.tally.event.EventParser, written for the former enum. */
    public static String lower(String channel) {
        return channel;
    }
}
