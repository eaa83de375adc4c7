-- Whether the ledger is paused (POST /api/ledger/pause, /resume), shared by every replica on this database: one row,
-- written by io.tally.ledger.LedgerControl only. Each replica reads it with a cache of at most a second.
CREATE TABLE ledger_control (
    id         BOOLEAN     PRIMARY KEY DEFAULT TRUE CHECK (id),
    paused     BOOLEAN     NOT NULL DEFAULT FALSE,
    changed_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
INSERT INTO ledger_control DEFAULT VALUES;
