-- Checkpoint cadence by versions and by time: a table checkpoints when it is `checkpoint-interval`
-- versions past its last checkpoint and that checkpoint is at least `checkpoint-min-interval` old,
-- so a busy table does not checkpoint many times a second.
ALTER TABLE publish_state ADD COLUMN last_checkpoint_at timestamptz;

-- Tombstones for checkpoints: the removed rows of one table, newest removal first per path.
CREATE INDEX files_removed ON files (table_id, removed_version) WHERE removed_version IS NOT NULL;
