package io.tally.api;

import java.util.Set;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tally.event.InboxRepository;
import io.tally.event.InboxStatus;
import org.apache.camel.Header;
import org.springframework.stereotype.Component;

/** GET /api/events: inbox events by status, newest first (served by the http-events-intake route). */
@Component("eventQueries")
public class EventQueries {

    private static final Set<String> STATUSES = new java.util.LinkedHashSet<>(InboxStatus.dbValues());

    private final InboxRepository inbox;
    private final ObjectMapper objectMapper;

    public EventQueries(InboxRepository inbox, ObjectMapper objectMapper) {
        this.inbox = inbox;
        this.objectMapper = objectMapper;
    }

    public String list(@Header("status") String status, @Header("limit") String limit) throws JsonProcessingException {
        if (status != null && !STATUSES.contains(status)) {
            throw new IllegalArgumentException("status must be one of " + STATUSES);
        }
        int max;
        try {
            max = limit == null ? 100 : Integer.parseInt(limit);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("limit must be a number");
        }
        return objectMapper.writeValueAsString(inbox.findByStatus(status, Math.max(1, Math.min(max, 10_000))));
    }
}
