package io.tally.catalog;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;

/** A listing row: one sellable thing on one store, linked to a stock item. */
public record Listing(
        long id,
        String store,
        String ref,
        String itemKey,
        String sku,
        String barcode,
        String handle,
        boolean master,
        boolean hidden,
        Integer safetyStock,
        Integer maxAvailable,
        Integer sharePercent,
        Long knownLevel,
        Long syncedLevel,
        Long lastPushed,
        Long inflightLevel,
        Instant lastPushedAt,
        long target,
        long targetVersion,
        boolean pushFailed,
        Instant knownAt,
        String channelItem,
        String channelLocation,
        String channelProduct) {

    public static final String COLUMNS = "id, store, ref, item_key, sku, barcode, handle, master, hidden, safety_stock,"
            + " max_available, share_percent, known_level, synced_level, last_pushed, inflight_level, last_pushed_at, target,"
            + " target_version, push_failed, known_at, channel_item, channel_location, channel_product";

    public static Listing map(ResultSet rs, int rowNum) throws SQLException {
        var pushedAt = rs.getTimestamp("last_pushed_at");
        return new Listing(
                rs.getLong("id"),
                rs.getString("store"),
                rs.getString("ref"),
                rs.getString("item_key"),
                rs.getString("sku"),
                rs.getString("barcode"),
                rs.getString("handle"),
                rs.getBoolean("master"),
                rs.getBoolean("hidden"),
                (Integer) rs.getObject("safety_stock"),
                (Integer) rs.getObject("max_available"),
                (Integer) rs.getObject("share_percent"),
                (Long) rs.getObject("known_level"),
                (Long) rs.getObject("synced_level"),
                (Long) rs.getObject("last_pushed"),
                (Long) rs.getObject("inflight_level"),
                pushedAt == null ? null : pushedAt.toInstant(),
                rs.getLong("target"),
                rs.getLong("target_version"),
                rs.getBoolean("push_failed"),
                rs.getTimestamp("known_at") == null
                        ? null
                        : rs.getTimestamp("known_at").toInstant(),
                rs.getString("channel_item"),
                rs.getString("channel_location"),
                rs.getString("channel_product"));
    }

    /** A push is due when the channel is not known to hold the target. Hidden listings are never pushed. */
    public boolean needsPush() {
        return !hidden && (syncedLevel == null || syncedLevel != target);
    }

    public String state() {
        if (hidden) {
            return "hidden";
        }
        if (!needsPush()) {
            return "in_sync";
        }
        return pushFailed ? "failed" : "pending";
    }
}
