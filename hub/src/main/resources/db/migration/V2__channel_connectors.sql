-- Channel connectors (Shopify first; Amazon and Walmart reuse the same columns).

-- A channel listing's own identifiers: the inventory item and location a Shopify level is written to, the
-- product it belongs to (product webhooks replace all its variants).
ALTER TABLE listing ADD COLUMN channel_item     TEXT;
ALTER TABLE listing ADD COLUMN channel_location TEXT;
ALTER TABLE listing ADD COLUMN channel_product  TEXT;
-- The channel's own time of the level Tally knows (Shopify's clock): an observation older than it is stale.
ALTER TABLE listing ADD COLUMN known_at         TIMESTAMPTZ;
CREATE INDEX listing_channel_item ON listing (store, channel_item) WHERE channel_item IS NOT NULL;
CREATE INDEX listing_channel_product ON listing (store, channel_product) WHERE channel_product IS NOT NULL;

-- Units the channel took from its own level for an order line (a marketplace decrements when it takes an order):
-- each line's consequence is counted once, whichever of created/paid/updated arrives first.
ALTER TABLE order_line ADD COLUMN channel_taken BIGINT NOT NULL DEFAULT 0;

-- Webhook deliveries already stored, per store and the channel's event id: a repeated delivery is answered
-- without work. Business keys in the inbox are the real guard; this one saves the mapping and the lookups.
CREATE TABLE webhook_receipt (
    store       TEXT        NOT NULL,
    event_id    TEXT        NOT NULL,
    webhook_id  TEXT,
    topic       TEXT        NOT NULL,
    outcome     TEXT,
    received_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (store, event_id)
);

-- One row per reconciliation of a store: what was read, how many listings had drifted (a missed event), what was
-- pushed again.
CREATE TABLE reconciliation (
    id          BIGSERIAL PRIMARY KEY,
    store       TEXT        NOT NULL,
    trigger     TEXT        NOT NULL,
    started_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    finished_at TIMESTAMPTZ,
    checked     INT         NOT NULL DEFAULT 0,
    corrections INT         NOT NULL DEFAULT 0,
    repushed    INT         NOT NULL DEFAULT 0,
    error       TEXT,
    details     JSONB
);
CREATE INDEX reconciliation_store ON reconciliation (store, id DESC);
