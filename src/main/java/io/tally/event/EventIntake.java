package io.tally.event;

import java.util.ArrayList;
import java.util.List;

import io.tally.event.InboxRepository.PendingEvent;
import org.springframework.stereotype.Component;

/**
 * Validates and stores events in the inbox, all of a request or none. Only after it returns (the inbox
 * transaction has committed) is the sender answered; applying them to the ledger happens afterwards.
 */
@Component("eventIntake")
public class EventIntake {

    private final EventParser parser;
    private final InboxWriter inbox;

    public EventIntake(EventParser parser, InboxWriter inbox) {
        this.parser = parser;
        this.inbox = inbox;
    }

    public IntakeResult accept(String body) {
        List<CanonicalEvent> events = parser.parse(body);
        return store(events);
    }

    /** Stores events a channel connector has already mapped (and validated): committed when this returns. */
    public IntakeResult store(List<CanonicalEvent> events) {
        if (events.isEmpty()) {
            return new IntakeResult(null, List.of(), 0);
        }
        List<Long> ids = inbox.write(events);
        List<PendingEvent> stored = new ArrayList<>(events.size());
        int duplicates = 0;
        for (int i = 0; i < events.size(); i++) {
            if (ids.get(i) == null) {
                duplicates++;
            } else {
                stored.add(new PendingEvent(ids.get(i), events.get(i).correlationKey()));
            }
        }
        return new IntakeResult(events.size() == 1 ? events.get(0).id() : null, stored, duplicates);
    }
}
