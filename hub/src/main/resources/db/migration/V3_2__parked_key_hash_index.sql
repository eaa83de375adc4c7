-- A parked event's key was indexed with a btree, whose rows may not exceed 2704 bytes: parking an event with a longer
-- key failed its whole ledger batch, again and again. A hash index stores a 4-byte hash of any length of key, and
-- un-parking only looks keys up by equality (CatalogService.unpark).
DROP INDEX IF EXISTS inbox_parked_key;
CREATE INDEX inbox_parked_key ON inbox_event USING hash (key_value) WHERE status = 'parked';
