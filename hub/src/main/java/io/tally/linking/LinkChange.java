package io.tally.linking;

import io.tally.catalog.Listing;
import io.tally.event.InboxRepository.PendingEvent;
import java.util.List;

/** The outcome of a catalog change: the listing as stored, pushes now due, and parked events now applicable. */
public record LinkChange(Listing listing, List<Long> listingsToPush, List<PendingEvent> unparked) {}
