-- Run right after restoring the platform's database from a backup, before metadata-service starts:
-- every table's _delta_log is then compared with Postgres at start-up, and the versions the
-- platform had published after the backup was taken are adopted from the log (docs/deploy.md,
-- "Backup and restore").
-- The table exists from V49 on; a backup older than V49 gets it here, as V49 makes it.
CREATE TABLE IF NOT EXISTS metadata.restore_checks (
    table_id   uuid PRIMARY KEY,
    marked_at  timestamptz NOT NULL DEFAULT now()
);
INSERT INTO metadata.restore_checks (table_id)
SELECT table_id FROM metadata.publish_state
ON CONFLICT (table_id) DO NOTHING;
