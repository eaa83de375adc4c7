package io.tally.event;

import io.tally.event.InboxRepository.PendingEvent;
import java.util.List;

/** What the inbox took from one request, and the answer the sender gets. */
public record IntakeResult(String singleEventId, List<PendingEvent> stored, int duplicates) {

    public int httpStatus() {
        return stored.isEmpty() ? 200 : 202;
    }

    public String responseJson() {
        String status = stored.isEmpty() ? "duplicate" : "accepted";
        if (singleEventId != null) {
            return "{\"status\":\"" + status + "\",\"id\":" + quote(singleEventId) + "}";
        }
        return "{\"status\":\"" + status + "\",\"accepted\":" + stored.size() + ",\"duplicates\":" + duplicates + "}";
    }

    private static String quote(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                default -> {
                    if (c < 0x20) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.append('"').toString();
    }
}
