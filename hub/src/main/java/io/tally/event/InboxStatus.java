package io.tally.event;

import java.util.Arrays;
import java.util.List;

/**
 * The status of an inbox event ({@code inbox_event.status}), with the value the database stores. SQL text quotes the
 * value as a literal ({@link #sql()}) rather than binding it, so the partial indexes on status still match.
 */
public enum InboxStatus {
    PENDING("pending"),
    APPLIED("applied"),
    WAITING("waiting"),
    PARKED("parked"),
    REJECTED("rejected");

    private final String dbValue;

    InboxStatus(String dbValue) {
        this.dbValue = dbValue;
    }

    public String dbValue() {
        return dbValue;
    }

    /** The value as an SQL string literal, e.g. {@code 'pending'}. */
    public String sql() {
        return "'" + dbValue + "'";
    }

    public static List<String> dbValues() {
        return Arrays.stream(values()).map(InboxStatus::dbValue).toList();
    }

    public static InboxStatus fromDb(String value) {
        for (InboxStatus status : values()) {
            if (status.dbValue.equals(value)) {
                return status;
            }
        }
        throw new IllegalArgumentException("unknown inbox status '" + value + "'");
    }
}
