package io.tally.event;

import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

import io.tally.event.InboxRepository.PendingEvent;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Validates and stores events in the inbox, all of a request or none. Only after it returns (the inbox
 * transaction has committed) is the sender answered; applying them to the ledger happens afterwards.
 */
@Component("eventIntake")
public class EventIntake {

    private final EventParser parser;
    private final InboxWriter inbox;
    private final TransactionTemplate transaction;

    public EventIntake(EventParser parser, InboxWriter inbox, TransactionTemplate transaction) {
        this.parser = parser;
        this.inbox = inbox;
        this.transaction = transaction;
    }

    /** Parses a POST /api/events body (one event or an array), stores it and returns the answer for the sender. */
    public IntakeResult accept(InputStream body) {
        return store(parser.parse(body));
    }

    /** Stores events a channel connector has already mapped (and validated): committed when this returns. */
    public IntakeResult store(List<CanonicalEvent> events) {
        if (events.isEmpty()) {
            return new IntakeResult(null, List.of(), 0);
        }
        return result(events, inbox.write(events));
    }

    /**
     * Stores events and runs {@code alongside} (e.g. moving a poller's cursor) in one transaction: both are committed
     * or neither. Hand {@link IntakeResult#stored()} to the ledger after this returns.
     */
    public IntakeResult storeWith(List<CanonicalEvent> events, Runnable alongside) {
        return transaction.execute(status -> {
            List<Long> ids = events.isEmpty() ? List.of() : inbox.writeInTransaction(events);
            alongside.run();
            return events.isEmpty() ? new IntakeResult(null, List.of(), 0) : result(events, ids);
        });
    }

    private static IntakeResult result(List<CanonicalEvent> events, List<Long> ids) {
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
