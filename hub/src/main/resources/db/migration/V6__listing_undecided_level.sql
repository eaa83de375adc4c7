-- A level a channel showed whose channel time could not order it against what Tally knows (the same whole second
-- as Tally's own write, or older): not booked at once, but remembered, so that the same difference seen again at
-- least a settle window later (by a read after a failed compare-and-set, or the next reconciliation) is corrected
-- whatever the timestamps say. All three are null when nothing is undecided.
ALTER TABLE listing ADD COLUMN undecided_level BIGINT;
-- Tally's known level when the undecided level was first seen: a difference persists only against the same one
ALTER TABLE listing ADD COLUMN undecided_known BIGINT;
-- Tally's clock when the undecided level was first seen
ALTER TABLE listing ADD COLUMN undecided_since TIMESTAMPTZ;
-- The levels Tally's own pushes set on the channel within the channel second known_at (at most the last 16): a
-- snapshot of that second showing one of them is Tally's echo, not a store-side change
ALTER TABLE listing ADD COLUMN written_levels BIGINT[];
