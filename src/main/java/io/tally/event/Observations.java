package io.tally.event;

import java.time.Instant;
import java.util.List;

import io.tally.event.InboxRepository.PendingEvent;
import org.apache.camel.ProducerTemplate;
import org.springframework.stereotype.Component;

/**
 * Levels seen on a channel (a webhook, a read after a failed compare-and-set, a reconciliation): stored in the
 * inbox like any event, then judged by the ledger only after the settle window, so that the sale or restock that
 * caused the change is booked first and the change is recognised as its consequence rather than booked twice.
 */
@Component("observations")
public class Observations {

    private final EventIntake intake;
    private final ProducerTemplate producer;

    public Observations(EventIntake intake, ProducerTemplate producer) {
        this.intake = intake;
        this.producer = producer;
    }

    /** A level read from the channel's API: the same level read at the same channel time is one fact. */
    public List<PendingEvent> recordRead(String store, String channel, String ref, long level, Instant channelTime,
            String source) {
        String id = "read/" + ref + "/" + (channelTime == null ? Instant.now() : channelTime) + "/" + level;
        CanonicalEvent event = new CanonicalEvent(id, channel, store, EventType.SET, KeyKind.REF, ref, level, null,
                null, null, null, channelTime, "{\"source\":\"" + source + "\"}");
        List<PendingEvent> stored = intake.store(List.of(event)).stored();
        settle(stored);
        return stored;
    }

    /** Hands stored observations to the ledger once the settle window has passed (route ledger-settle). */
    public void settle(List<PendingEvent> stored) {
        if (!stored.isEmpty()) {
            producer.sendBody("seda:settle-observations", stored);
        }
    }
}
