-- Log cleanup (publish.LogCleanup): versions below log_start_version have been removed from the
-- table's _delta_log on purpose (older than delta.logRetentionDuration, before a checkpoint that
-- old), so the reconciler does not write them back. Postgres keeps every version.
ALTER TABLE publish_state ADD COLUMN log_start_version bigint NOT NULL DEFAULT 0;

-- What the maintenance worker's last log cleanup did.
ALTER TABLE maintenance_state ADD COLUMN last_log_cleanup_at timestamptz;
ALTER TABLE maintenance_state ADD COLUMN last_log_cleanup jsonb;
