package io.tally.ledger;

import io.tally.catalog.Listing;

/**
 * The stock item (and listing, when the event names one) an event is about. The listing is as first read; the
 * batch's current copy of it is {@link BatchState#listing}.
 *
 * @param ambiguous the event's stock key names several listings of its store and none is the master
 */
record EventTarget(String itemKey, Listing listing, boolean ambiguous) {}
