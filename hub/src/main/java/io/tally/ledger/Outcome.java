package io.tally.ledger;

import io.tally.event.InboxStatus;
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

    InboxStatus status() {
        return code.status;
    }

    boolean waiting() {
        return code.status == InboxStatus.WAITING;
    }

    String prose() {
        return String.format(Locale.ROOT, code.template, detail.toArray());
    }

    /** The names are stored ({@code inbox_event.outcome_code}) and shown by the API: renaming one changes the API. */
    enum Code {
        HIDDEN_IGNORED(InboxStatus.APPLIED, "ignored: listing %s is hidden and not synced"),
        PARKED_UNKNOWN_KEY(
                InboxStatus.PARKED, "no listing links %s '%s' to a stock item yet; applied when one is declared"),
        STORE_UNCONFIGURED(InboxStatus.REJECTED, "store '%s' is no longer configured"),
        NOT_PAID_YET(InboxStatus.APPLIED, "not booked: the order is not paid yet and the store books on paid"),
        BOOKED(InboxStatus.APPLIED, "booked %s"),
        DUPLICATE(InboxStatus.APPLIED, "already booked: order %s line %s has %s"),
        RESTOCK_CAUSE_IGNORED(InboxStatus.APPLIED, "not restocked: the store restocks on %s, this is a %s"),
        RESTOCKED(InboxStatus.APPLIED, "restocked %s"),
        RESTOCK_CAPPED(InboxStatus.APPLIED, "restocked %s of %s (capped at what the line booked)"),
        RELEASED(InboxStatus.APPLIED, "released %s"),
        CANCEL_CAPPED(InboxStatus.APPLIED, "released %s of %s (capped at what the line booked)"),
        CANCELLED_UNBOOKED(
                InboxStatus.APPLIED,
                "nothing to release: the channel says order %s line %s was cancelled before it was booked"),
        WAITING_FOR_SALE(InboxStatus.WAITING, "waiting for the sale of order %s line %s"),
        NOTHING_TO_RETURN(InboxStatus.APPLIED, "nothing to return: order %s line %s booked %s, already returned %s"),
        AMBIGUOUS_KEY(
                InboxStatus.REJECTED,
                "several listings of store '%s' share %s '%s' and none is the master: name the listing with ref"),
        SET_WITHOUT_LISTING(InboxStatus.REJECTED, "a set needs a listing of store '%s' for %s '%s'"),
        STALE_OBSERVATION(
                InboxStatus.APPLIED,
                "stale observation: the channel's level %s at %s is not newer"
                        + " than the one Tally knows (%s) and is Tally's own or already known"),
        UNDECIDED(
                InboxStatus.APPLIED,
                "undecided: the channel's level %s at %s is not newer than the level"
                        + " Tally knows (%s at %s); corrected if the channel still shows it a settle window later"),
        UNDECIDED_VERIFYING(
                InboxStatus.APPLIED,
                "undecided: the channel's level %s at %s is not newer than the"
                        + " level Tally knows (%s at %s); corrected if the channel still shows it a settle window later, the"
                        + " target is pushed to ask"),
        BUNDLE_PUSHED_BACK(
                InboxStatus.APPLIED, "not booked: a bundle's level follows its components; its target is pushed back"),
        ECHO_IGNORED(InboxStatus.APPLIED, "echo of Tally's own push, ignored"),
        MASTER_COUNTED(InboxStatus.APPLIED, "master level set to %s: on-hand counted %+d"),
        MASTER_SET(InboxStatus.APPLIED, "master level set: on-hand counted at %s"),
        BASELINE_RECORDED(InboxStatus.APPLIED, "first level seen on this listing; recorded as the baseline"),
        NO_CHANGE(InboxStatus.APPLIED, "no change"),
        ADJUSTMENT_APPLIED(InboxStatus.APPLIED, "adjustment of %s applied"),
        ADJUSTMENT_IGNORED(InboxStatus.APPLIED, "adjustment of %s ignored (store policy)"),
        ADJUSTMENT_REVERTED(InboxStatus.APPLIED, "adjustment of %s reverted (store policy)");

        private final InboxStatus status;
        private final String template;

        Code(InboxStatus status, String template) {
            this.status = status;
            this.template = template;
        }
    }
}
