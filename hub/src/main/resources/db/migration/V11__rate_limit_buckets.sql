-- The channels' client-side rate limits shared by every hub replica (tally.rate-limits.store: database):
-- one row per bucket (key e.g. amazon/<store>/patch-listings-item), read and written only by Bucket4j's
-- PostgreSQLSelectForUpdateBasedProxyManager (io.tally.channel.ratelimit.DatabaseBucketStore) as
-- SELECT state ... FOR UPDATE, then UPDATE, in one transaction per call.
-- The shape is the one Bucket4j documents for PostgreSQL without expiration ("bucket(id BIGINT PRIMARY KEY,
-- state BYTEA)", bucket4j docs distributed/jdbc/postgresql.adoc, 8.x), with a text key (PrimaryKeyMapper.STRING);
-- state is null between Bucket4j's INSERT ... ON CONFLICT DO NOTHING and its first UPDATE.
-- UNLOGGED: a bucket is worth no WAL flush per API call (each call commits); after a crash or a fail-over the table
-- is empty and the buckets start again from the configured limits, as they do when a single hub restarts.
-- No expiry: the keys are bounded (stores x operations), and a row keeps what a channel told about its limit.
CREATE UNLOGGED TABLE rate_limit_bucket (
    id    TEXT PRIMARY KEY,
    state BYTEA
);
