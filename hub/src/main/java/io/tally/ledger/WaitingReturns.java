package io.tally.ledger;

import io.tally.catalog.Listing;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * The cancels and restocks waiting for sales a batch has just booked, read and locked once the rules asked for them.
 *
 * @param stored per order line, the rows already waiting in the inbox (status waiting), in id order
 * @param listings per inbox id (stored or of this batch), the listing the row names, locked (absent: none)
 */
record WaitingReturns(Map<String, List<InboxRow>> stored, Map<Long, Listing> listings) {

    WaitingReturns {
        stored = Collections.unmodifiableMap(stored);
        listings = Collections.unmodifiableMap(listings);
    }
}
