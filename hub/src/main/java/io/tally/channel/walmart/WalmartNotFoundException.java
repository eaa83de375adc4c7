package io.tally.channel.walmart;

import io.tally.push.RejectedPushException;
import java.util.List;

/**
 * Walmart answered 404: the SKU (or order) is not on the seller's account, or an order search found nothing. The
 * error codes of the answer's body are kept so a caller can tell an empty search from a missing resource.
 */
public class WalmartNotFoundException extends RejectedPushException {

    private final List<String> errorCodes;

    public WalmartNotFoundException(String message) {
        this(message, List.of());
    }

    public WalmartNotFoundException(String message, List<String> errorCodes) {
        super(message);
        this.errorCodes = List.copyOf(errorCodes);
    }

    /** The {@code code} of each error in the body, e.g. {@code CONTENT_NOT_FOUND.GMP_ORDER_API}; empty if none. */
    public List<String> errorCodes() {
        return errorCodes;
    }

    /**
     * Whether this is Walmart's answer to an order search without results: 404 {@code CONTENT_NOT_FOUND} from the
     * orders API ({@code CONTENT_NOT_FOUND.GMP_ORDER_API}, "Orders not found for given search parameters"), as
     * reported by fulfilio/python-walmart PR 14, fillup/walmart-partner-api-sdk-php PR 6 and
     * makanaleu/wmt-marketplace-sdk 1.3.4 (CHANGELOG, lib/error.d.ts). A 404 of the gateway itself
     * ({@code ...GMP_GATEWAY_API}, e.g. a wrong path) or one without a code is not.
     */
    public boolean isEmptyOrderSearch() {
        return errorCodes.stream()
                .anyMatch(c -> c.equals("CONTENT_NOT_FOUND") || c.startsWith("CONTENT_NOT_FOUND.GMP_ORDER_API"));
    }
}
