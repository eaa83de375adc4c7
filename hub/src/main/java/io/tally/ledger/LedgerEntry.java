package io.tally.ledger;

/** A ledger entry about to be inserted; entryKey makes a second insert of the same effect do nothing. */
public record LedgerEntry(
        String itemKey,
        long delta,
        String kind,
        String entryKey,
        String eventId,
        String store,
        String ref,
        String reason) {}
