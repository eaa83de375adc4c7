-- The ledger's decision for an event as a stable code (io.tally.ledger.Outcome.Code, e.g. BOOKED, PARKED_UNKNOWN_KEY)
-- next to its prose in outcome: what scripts and tests match on. Null while undecided, and for failures that are not
-- a booking rule's decision (an event the database could not store).
ALTER TABLE inbox_event ADD COLUMN outcome_code TEXT;
