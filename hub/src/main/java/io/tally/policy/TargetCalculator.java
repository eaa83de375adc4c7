package io.tally.policy;

/**
 * The level a listing should show: clamp(floor((level - safety) x share%), 0, max); 0 when hidden.
 * A listing's own setting wins over its store's.
 */
public final class TargetCalculator {

    private TargetCalculator() {}

    public static long target(
            long level,
            boolean hidden,
            Integer listingSafety,
            Integer listingMax,
            Integer listingShare,
            StoreProperties store) {
        if (hidden) {
            return 0;
        }
        int safety = listingSafety != null ? listingSafety : store.safetyStock();
        int share = listingShare != null ? listingShare : store.sharePercent();
        Integer max = listingMax != null ? listingMax : store.maxAvailable();
        long sellable = level - safety;
        if (sellable <= 0) {
            return 0;
        }
        long shared = Math.floorDiv(sellable * share, 100);
        return max == null ? shared : Math.min(shared, max);
    }
}
