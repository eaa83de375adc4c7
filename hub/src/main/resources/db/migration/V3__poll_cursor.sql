-- Where each channel poller has read up to, per store and feed (e.g. Amazon orders by LastUpdatedAfter, Walmart
-- orders by cursor). A poller moves its cursor in the same transaction as the inbox rows of the events it read,
-- so a crash either keeps both or neither: the next poll re-reads the window and the inbox dedupes.
CREATE TABLE poll_cursor (
    store       TEXT        NOT NULL,
    feed        TEXT        NOT NULL,
    position    TEXT        NOT NULL,
    polled_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
    -- The last poll that succeeded, for health (a poller that keeps failing still shows its last success).
    succeeded_at TIMESTAMPTZ,
    error       TEXT,
    PRIMARY KEY (store, feed)
);
