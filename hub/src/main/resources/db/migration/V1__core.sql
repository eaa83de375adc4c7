-- Tally core schema. PostgreSQL is the only state: every number Tally shows or pushes is derived from these rows.

-- A stock item is the unit of true count. on_hand always equals the sum of its ledger entries.
CREATE TABLE stock_item (
    item_key     TEXT PRIMARY KEY,
    on_hand      BIGINT      NOT NULL DEFAULT 0,
    bundle       BOOLEAN     NOT NULL DEFAULT FALSE,
    -- rank of the listing the on-hand was seeded from: 0 none, 1 peer, 2 source, 3 master
    seed_rank    SMALLINT    NOT NULL DEFAULT 0,
    oversold_at  TIMESTAMPTZ,
    created_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at   TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE TABLE bundle_component (
    bundle_key    TEXT    NOT NULL REFERENCES stock_item (item_key),
    component_key TEXT    NOT NULL REFERENCES stock_item (item_key),
    quantity      INTEGER NOT NULL CHECK (quantity > 0),
    PRIMARY KEY (bundle_key, component_key)
);
CREATE INDEX bundle_component_by_component ON bundle_component (component_key);

-- One sellable thing on one channel store, linked to a stock item by the store's match key.
CREATE TABLE listing (
    id              BIGSERIAL PRIMARY KEY,
    store           TEXT        NOT NULL,
    ref             TEXT        NOT NULL,
    item_key        TEXT        REFERENCES stock_item (item_key),
    sku             TEXT,
    barcode         TEXT,
    handle          TEXT,
    master          BOOLEAN     NOT NULL DEFAULT FALSE,
    hidden          BOOLEAN     NOT NULL DEFAULT FALSE,
    safety_stock    INTEGER,
    max_available   INTEGER,
    share_percent   INTEGER,
    -- what the channel shows as far as Tally knows (observed or pushed); basis of observed deltas
    known_level     BIGINT,
    -- the level Tally accepts the channel holding; a push is due when target differs from it
    synced_level    BIGINT,
    last_pushed     BIGINT,
    -- the level of a push in flight: its echo may arrive before the push is confirmed
    inflight_level  BIGINT,
    last_pushed_at  TIMESTAMPTZ,
    target          BIGINT      NOT NULL DEFAULT 0,
    target_version  BIGINT      NOT NULL DEFAULT 0,
    push_failed     BOOLEAN     NOT NULL DEFAULT FALSE,
    created_at      TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at      TIMESTAMPTZ NOT NULL DEFAULT now(),
    UNIQUE (store, ref)
);
CREATE INDEX listing_by_item ON listing (item_key);
CREATE INDEX listing_out_of_sync ON listing (id) WHERE NOT hidden AND target IS DISTINCT FROM synced_level;

-- Every event is committed here under its idempotency key before the sender is answered.
CREATE TABLE inbox_event (
    id            BIGSERIAL PRIMARY KEY,
    idem_key      TEXT        NOT NULL UNIQUE,
    event_id      TEXT        NOT NULL,
    channel       TEXT        NOT NULL,
    store         TEXT        NOT NULL,
    type          TEXT        NOT NULL,
    key_kind      TEXT        NOT NULL,
    key_value     TEXT        NOT NULL,
    quantity      BIGINT      NOT NULL,
    order_id      TEXT,
    line_id       TEXT,
    stage         TEXT,
    cause         TEXT,
    occurred_at   TIMESTAMPTZ,
    received_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
    status        TEXT        NOT NULL DEFAULT 'pending',
    outcome       TEXT,
    applied_at    TIMESTAMPTZ,
    payload       JSONB
);
CREATE INDEX inbox_unfinished ON inbox_event (status, id) WHERE status <> 'applied';
CREATE INDEX inbox_waiting_line ON inbox_event (store, order_id, line_id) WHERE status = 'waiting';
CREATE INDEX inbox_parked_key ON inbox_event (key_value) WHERE status = 'parked';

-- Append-only. entry_key is unique, so applying the same event twice inserts nothing the second time.
CREATE TABLE ledger_entry (
    id          BIGSERIAL PRIMARY KEY,
    item_key    TEXT        NOT NULL REFERENCES stock_item (item_key),
    delta       BIGINT      NOT NULL,
    kind        TEXT        NOT NULL CHECK (kind IN ('sale', 'cancel', 'restock', 'adjustment', 'count')),
    entry_key   TEXT        NOT NULL UNIQUE,
    event_id    TEXT,
    store       TEXT,
    ref         TEXT,
    reason      TEXT,
    created_at  TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX ledger_by_item ON ledger_entry (item_key, id DESC);

-- Per channel order line: units booked and units returned (cancel + restock). Returns never exceed bookings.
CREATE TABLE order_line (
    store       TEXT    NOT NULL,
    order_id    TEXT    NOT NULL,
    line_id     TEXT    NOT NULL,
    item_key    TEXT    NOT NULL REFERENCES stock_item (item_key),
    booked      BIGINT  NOT NULL DEFAULT 0,
    returned    BIGINT  NOT NULL DEFAULT 0,
    updated_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (store, order_id, line_id),
    CHECK (returned <= booked)
);

CREATE TABLE dead_letter (
    id          BIGSERIAL PRIMARY KEY,
    listing_id  BIGINT      NOT NULL REFERENCES listing (id),
    store       TEXT        NOT NULL,
    ref         TEXT        NOT NULL,
    level       BIGINT,
    version     BIGINT,
    error       TEXT        NOT NULL,
    attempts    INTEGER     NOT NULL,
    status      TEXT        NOT NULL DEFAULT 'open',
    created_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at  TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX dead_letter_open ON dead_letter (listing_id) WHERE status = 'open';
