package io.tally.linking;

/** What a store says about one of its listings (PUT /api/listings/{store}/{ref}, or a catalog import). */
public record ListingDeclaration(
        String sku,
        String barcode,
        String handle,
        Boolean master,
        Boolean hidden,
        Integer safetyStock,
        Integer maxAvailable,
        Integer sharePercent,
        Long level) {}
