-- Every push attempt, as the push route finished it: the status page's charts of pushes, failures and latency per
-- store, and of the level each channel accepted over time. Written in batches a few seconds after the attempt (a
-- crash may lose those seconds; nothing else reads this table). Rows older than tally.status.push-history-days are
-- deleted by the same writer. No foreign key: history outlives nothing and costs no lock on listing.
CREATE TABLE push_attempt (
    id           BIGSERIAL   PRIMARY KEY,
    store        TEXT        NOT NULL,
    listing_id   BIGINT      NOT NULL,
    at           TIMESTAMPTZ NOT NULL,
    -- the level the attempt sent (the listing's target when it was planned)
    level        BIGINT      NOT NULL,
    -- ok: the channel took the level; failed: an error (retried or dead-lettered); stale: the channel's level had
    -- moved (compare-and-set refused), nothing written
    outcome      TEXT        NOT NULL CHECK (outcome IN ('ok', 'failed', 'stale')),
    duration_ms  INTEGER     NOT NULL,
    error        TEXT
);
CREATE INDEX push_attempt_store_at ON push_attempt (store, at);
CREATE INDEX push_attempt_listing_at ON push_attempt (listing_id, at);
-- the per-store panel's last push error
CREATE INDEX push_attempt_failed ON push_attempt (store, at) WHERE outcome = 'failed';
