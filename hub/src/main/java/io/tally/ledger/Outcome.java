package io.tally.ledger;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * What the ledger decided for one inbox event: a code (which fixes the inbox status) and the values the prose quotes.
 * The prose stored in {@code inbox_event.outcome} (and shown by the API) is produced from both, word for word as
 * before the codes existed.
 */
record Outcome(Code code, List<Object> detail) {

    Outcome {
        // Not List.copyOf: a quoted value may be null (a level Tally does not know yet), and the prose says "null".
        detail = Collections.unmodifiableList(new ArrayList<>(detail));
    }

    static Outcome of(Code code, Object... detail) {
        return new Outcome(code, Arrays.asList(detail));
    }

    String status() {
        return code.status;
    }

    boolean waiting() {
        return BatchApplication.WAITING.equals(code.status);
    }

    String prose() {
        return String.format(Locale.ROOT, code.template, detail.toArray());
    }

    enum Code {
        HIDDEN_IGNORED(BatchApplication.APPLIED, "ignored: listing %s is hidden and not synced"),
        PARKED_UNKNOWN_KEY(BatchApplication.PARKED,
                "no listing links %s '%s' to a stock item yet; applied when one is declared"),
        STORE_UNCONFIGURED(BatchApplication.REJECTED, "store '%s' is no longer configured"),
        NOT_PAID_YET(BatchApplication.APPLIED, "not booked: the order is not paid yet and the store books on paid"),
        BOOKED(BatchApplication.APPLIED, "booked %s"),
        DUPLICATE(BatchApplication.APPLIED, "already booked: order %s line %s has %s"),
        RESTOCK_CAUSE_IGNORED(BatchApplication.APPLIED, "not restocked: the store restocks on %s, this is a %s"),
        RESTOCKED(BatchApplication.APPLIED, "restocked %s"),
        RESTOCK_CAPPED(BatchApplication.APPLIED, "restocked %s of %s (capped at what the line booked)"),
        RELEASED(BatchApplication.APPLIED, "released %s"),
        CANCEL_CAPPED(BatchApplication.APPLIED, "released %s of %s (capped at what the line booked)"),
        CANCELLED_UNBOOKED(BatchApplication.APPLIED,
                "nothing to release: the channel says order %s line %s was cancelled before it was booked"),
        WAITING_FOR_SALE(BatchApplication.WAITING, "waiting for the sale of order %s line %s"),
        NOTHING_TO_RETURN(BatchApplication.APPLIED, "nothing to return: order %s line %s booked %s, already returned %s"),
        AMBIGUOUS_KEY(BatchApplication.REJECTED,
                "several listings of store '%s' share %s '%s' and none is the master: name the listing with ref"),
        SET_WITHOUT_LISTING(BatchApplication.REJECTED, "a set needs a listing of store '%s' for %s '%s'"),
        STALE_OBSERVATION(BatchApplication.APPLIED, "stale observation: the channel's level %s at %s is not newer"
                + " than the one Tally knows (%s) and is Tally's own or already known"),
        UNDECIDED(BatchApplication.APPLIED, "undecided: the channel's level %s at %s is not newer than the level"
                + " Tally knows (%s at %s); corrected if the channel still shows it a settle window later"),
        UNDECIDED_VERIFYING(BatchApplication.APPLIED, "undecided: the channel's level %s at %s is not newer than the"
                + " level Tally knows (%s at %s); corrected if the channel still shows it a settle window later, the"
                + " target is pushed to ask"),
        BUNDLE_PUSHED_BACK(BatchApplication.APPLIED,
                "not booked: a bundle's level follows its components; its target is pushed back"),
        ECHO_IGNORED(BatchApplication.APPLIED, "echo of Tally's own push, ignored"),
        MASTER_COUNTED(BatchApplication.APPLIED, "master level set to %s: on-hand counted %+d"),
        MASTER_SET(BatchApplication.APPLIED, "master level set: on-hand counted at %s"),
        BASELINE_RECORDED(BatchApplication.APPLIED, "first level seen on this listing; recorded as the baseline"),
        NO_CHANGE(BatchApplication.APPLIED, "no change"),
        ADJUSTMENT_APPLIED(BatchApplication.APPLIED, "adjustment of %s applied"),
        ADJUSTMENT_IGNORED(BatchApplication.APPLIED, "adjustment of %s ignored (store policy)"),
        ADJUSTMENT_REVERTED(BatchApplication.APPLIED, "adjustment of %s reverted (store policy)");

        private final String status;
        private final String template;

        Code(String status, String template) {
            this.status = status;
            this.template = template;
        }
    }
}
