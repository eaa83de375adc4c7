package io.tally.channel.walmart;

import io.tally.push.RejectedPushException;

/** Walmart answered 404 {@code CONTENT_NOT_FOUND}: the SKU (or order) is not on the seller's account. */
public class WalmartNotFoundException extends RejectedPushException {

    public WalmartNotFoundException(String message) {
        super(message);
    }
}
