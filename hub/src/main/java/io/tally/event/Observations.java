package io.tally.event;

import io.tally.event.InboxRepository.PendingEvent;
import io.tally.policy.TallyProperties;
import java.time.Instant;
import java.util.List;
import org.apache.camel.ProducerTemplate;
import org.springframework.stereotype.Component;

/**
 * Levels seen on a channel (a webhook, a read after a failed compare-and-set, a reconciliation): stored in the
 * inbox like any event, then judged by the ledger only after the settle window, so that the sale or restock that
 * caused the change is booked first and the change is recognised as its consequence rather than booked twice.
 */
@Component("observations")
public class Observations {

    /** Header carrying how long route ledger-settle holds the observations. */
    public static final String SETTLE_MS = "TallySettleMs";

    private final EventIntake intake;
    private final ProducerTemplate producer;
    private final TallyProperties properties;

    public Observations(EventIntake intake, ProducerTemplate producer, TallyProperties properties) {
        this.intake = intake;
        this.producer = producer;
        this.properties = properties;
    }

    /**
     * A level read from the channel's API. Every read is its own event, even of the same level at the same channel
     * time: a difference seen again a settle window later is how the ledger tells a persisting difference from a
     * stale snapshot when the channel's whole-second times cannot (BatchApplication, undecided levels).
     */
    public List<PendingEvent> recordRead(
            String store, String channel, String ref, long level, Instant channelTime, String source) {
        // A channel that gives no time for its level (Amazon, Walmart) is read "now": orders and pushes after the
        // read then make it stale instead of being undone by it when it is judged a settle window later.
        Instant readAt = Instant.now();
        Instant at = channelTime == null ? readAt : channelTime;
        String id = "read/" + ref + "/" + at + "/" + level + "/" + readAt.toEpochMilli() + "/" + System.nanoTime();
        CanonicalEvent event = new CanonicalEvent(
                id,
                channel,
                store,
                EventType.SET,
                KeyKind.REF,
                ref,
                level,
                null,
                null,
                null,
                null,
                at,
                "{\"source\":\"" + source + "\"}");
        List<PendingEvent> stored = intake.store(List.of(event)).stored();
        settle(stored, properties.ledger().readSettleMs());
        return stored;
    }

    /** Hands stored observations to the ledger once the settle window has passed (route ledger-settle). */
    public void settle(List<PendingEvent> stored) {
        settle(stored, properties.ledger().observationSettleMs());
    }

    private void settle(List<PendingEvent> stored, long settleMs) {
        if (!stored.isEmpty()) {
            producer.sendBodyAndHeader("seda:settle-observations", stored, SETTLE_MS, settleMs);
        }
    }
}
