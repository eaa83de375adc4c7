package io.tally.api;

import io.tally.event.InboxRepository;
import io.tally.event.InboxStatus;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.camel.Header;
import org.springframework.stereotype.Component;

/** GET /api/events: inbox events by status, newest first (served by the http-events-query route). */
@Component("eventQueries")
public class EventQueries {

    private static final Set<String> STATUSES = new java.util.LinkedHashSet<>(InboxStatus.dbValues());

    private final InboxRepository inbox;

    public EventQueries(InboxRepository inbox) {
        this.inbox = inbox;
    }

    /** The route marshals the answer to JSON (step events-as-json). */
    public List<Map<String, Object>> list(@Header("status") String status, @Header("limit") String limit) {
        if (status != null && !STATUSES.contains(status)) {
            throw new IllegalArgumentException("status must be one of " + STATUSES);
        }
        int max;
        try {
            max = limit == null ? 100 : Integer.parseInt(limit);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("limit must be a number");
        }
        return inbox.findByStatus(status, Math.max(1, Math.min(max, 10_000)));
    }
}
