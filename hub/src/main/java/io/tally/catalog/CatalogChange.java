package io.tally.catalog;

import java.util.List;

import io.tally.event.InboxRepository.PendingEvent;

/** The outcome of a catalog change: the listing as stored, pushes now due, and parked events now applicable. */
public record CatalogChange(Listing listing, List<Long> listingsToPush, List<PendingEvent> unparked) {
}
