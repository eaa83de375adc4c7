package io.tally.event;

import io.tally.event.InboxRepository.PendingEvent;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
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
        checkStorable(events);
        return result(events, inbox.write(events));
    }

    /**
     * Stores events and runs {@code alongside} (e.g. moving a poller's cursor) in one transaction: both are committed
     * or neither. Hand {@link IntakeResult#stored()} to the ledger after this returns.
     */
    public IntakeResult storeWith(List<CanonicalEvent> events, Runnable alongside) {
        checkStorable(events);
        return transaction.execute(status -> {
            List<Long> ids = events.isEmpty() ? List.of() : inbox.writeInTransaction(events);
            alongside.run();
            return events.isEmpty() ? new IntakeResult(null, List.of(), 0) : result(events, ids);
        });
    }

    /**
     * Refuses (400) what PostgreSQL would refuse, before it is queued for a group commit with other senders' events:
     * a NUL or a lone surrogate in any text, an id or key longer than {@link InputRules} allows (a key beyond the
     * btree entry limit would also fail every later index insert of it, such as parking it for an unknown key).
     * Connector mappers may pass ids the events API would refuse (other characters); these are storable.
     */
    static void checkStorable(List<CanonicalEvent> events) {
        for (int i = 0; i < events.size(); i++) {
            CanonicalEvent e = events.get(i);
            String where = events.size() == 1 ? "" : "events[" + i + "]: ";
            check(where, "id", e.id(), InputRules.MAX_ID_LENGTH);
            check(where, "store", e.store(), InputRules.MAX_KEY_LENGTH);
            check(where, "channel", e.channel(), InputRules.MAX_KEY_LENGTH);
            check(where, e.keyKind().wireName(), e.keyValue(), InputRules.MAX_KEY_LENGTH);
            check(where, "orderId", e.orderId(), InputRules.MAX_ID_LENGTH);
            check(where, "lineId", e.lineId(), InputRules.MAX_ID_LENGTH);
            check(where, "stage", e.stage(), InputRules.MAX_KEY_LENGTH);
            check(where, "cause", e.cause(), InputRules.MAX_KEY_LENGTH);
            if (e.payload() != null
                    && (e.payload().contains("\\u0000")
                            || InputRules.storageProblem(e.payload(), Integer.MAX_VALUE) != null)) {
                throw new InvalidEventException(where + "the event contains a NUL character or invalid text");
            }
            if (e.quantity() > InputRules.MAX_QUANTITY || e.quantity() < -InputRules.MAX_QUANTITY) {
                throw new InvalidEventException(where + "quantity is out of range");
            }
        }
    }

    private static void check(String where, String field, String value, int maxLength) {
        String problem = InputRules.storageProblem(value, maxLength);
        if (problem != null) {
            throw new InvalidEventException(where + field + " " + problem);
        }
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
