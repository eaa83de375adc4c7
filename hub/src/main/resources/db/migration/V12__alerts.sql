-- Alerts for an operator's endpoint (tally.alerts.url), raised by a scan of the tables that hold each condition
-- (io.tally.alerts.AlertScan) and kept until delivered. An occurrence names one episode of a condition (the moment an
-- item went below zero, the first dead letter of a failing store, a reconciliation run, a poller's last success), so
-- every scan may raise it again and the unique key keeps it once.
CREATE TABLE alert (
    id          BIGSERIAL PRIMARY KEY,
    kind        TEXT        NOT NULL,
    subject     TEXT        NOT NULL,
    occurrence  TEXT        NOT NULL,
    detail      TEXT        NOT NULL,
    raised_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
    sent_at     TIMESTAMPTZ,
    attempts    INTEGER     NOT NULL DEFAULT 0,
    last_error  TEXT,
    UNIQUE (kind, subject, occurrence)
);
CREATE INDEX alert_unsent ON alert (id) WHERE sent_at IS NULL;
-- The scan reads oversold items on every run: only they are indexed, whatever the catalog's size.
CREATE INDEX stock_item_oversold ON stock_item (item_key) WHERE oversold_at IS NOT NULL;
