-- One writer per listing (issue 13 §2): a push claims its listing before it sends, so two hubs on one database
-- never push the same listing at once. The owner is a hub process (a UUID made at start-up); a lease is live until
-- push_lease_until, renewed by every attempt and released when the push is confirmed, abandoned or dead-lettered. A
-- lease left by a hub that died runs out and the next push (a sweep) takes it over. Both are null when no push holds it.
ALTER TABLE listing ADD COLUMN push_lease_owner UUID;
ALTER TABLE listing ADD COLUMN push_lease_until TIMESTAMPTZ;
-- The target_version of the last confirmed push: a confirm carrying an older version (a slow push overtaken by a
-- newer one) is refused, so an older target never lands after a newer one. Null until a push is confirmed.
ALTER TABLE listing ADD COLUMN last_pushed_version BIGINT;
