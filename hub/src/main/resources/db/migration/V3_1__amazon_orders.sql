-- Amazon orders the poller has turned into events, with the state it last saw: a re-read order (the polling window
-- overlaps, and every status change lists it again) whose status is unchanged costs nothing, and a status change
-- reuses the items instead of calling getOrderItems again. Written in the same transaction as the order's events.
CREATE TABLE amazon_order (
    store         TEXT        NOT NULL,
    order_id      TEXT        NOT NULL,
    status        TEXT        NOT NULL,
    last_update   TIMESTAMPTZ NOT NULL,
    -- the furthest sale stage announced to the ledger ('created' or 'paid'), null when none
    sale_stage    TEXT,
    -- [{"id", "sku", "quantity"}] as getOrderItems listed them when the order was first read
    items         JSONB       NOT NULL,
    -- the order as getOrders last listed it
    payload       JSONB,
    first_seen_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at    TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (store, order_id)
);
