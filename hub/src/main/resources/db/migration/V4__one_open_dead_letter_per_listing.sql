-- At most one open dead letter per listing (issue 17, defect 5): a push series that fails again while its listing's
-- dead letter is open (the sweeper retrying it, a new target) adds its attempts to that dead letter. Written by
-- DeadLetterService.record as one INSERT ... ON CONFLICT on this index, so two writers cannot open two.
--
-- Listings that already hold several open dead letters keep the newest open; the older ones are marked superseded
-- (kept for the record, no longer counted as open).
UPDATE dead_letter d SET status = 'superseded', updated_at = now()
WHERE d.status = 'open'
  AND EXISTS (SELECT 1 FROM dead_letter n WHERE n.listing_id = d.listing_id AND n.status = 'open' AND n.id > d.id);

DROP INDEX IF EXISTS dead_letter_open;
CREATE UNIQUE INDEX dead_letter_one_open ON dead_letter (listing_id) WHERE status = 'open';
