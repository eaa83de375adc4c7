package io.tally.event;

import java.util.ArrayList;
import java.util.List;

import io.tally.event.InboxRepository.PendingEvent;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Validates and stores events in the inbox, all or nothing, in one transaction. Only after it returns is the
 * sender answered; applying them to the ledger happens afterwards.
 */
@Component("eventIntake")
public class EventIntake {

    private final EventParser parser;
    private final InboxRepository inbox;
    private final TransactionTemplate transaction;

    public EventIntake(EventParser parser, InboxRepository inbox, TransactionTemplate transaction) {
        this.parser = parser;
        this.inbox = inbox;
        this.transaction = transaction;
    }

    public IntakeResult accept(String body) {
        List<CanonicalEvent> events = parser.parse(body);
        return transaction.execute(status -> store(events));
    }

    private IntakeResult store(List<CanonicalEvent> events) {
        List<PendingEvent> stored = new ArrayList<>(events.size());
        List<String> duplicateIds = new ArrayList<>();
        for (CanonicalEvent event : events) {
            Long inboxId = inbox.insertIfAbsent(event);
            if (inboxId == null) {
                duplicateIds.add(event.id());
            } else {
                stored.add(new PendingEvent(inboxId, event.correlationKey()));
            }
        }
        return new IntakeResult(events.size() == 1 ? events.get(0).id() : null, stored, duplicateIds.size());
    }
}
