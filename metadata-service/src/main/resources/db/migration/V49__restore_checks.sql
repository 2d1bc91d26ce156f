-- Tables whose _delta_log must be compared with Postgres before metadata-service serves requests:
-- filled by a restore from backup (tools/backup/mark-restored.sql, run by ./platform restore and
-- the Helm restore procedure), emptied by RestoreChecks at start-up once each table was reconciled
-- (the platform's own versions beyond the backup adopted from the log). IF NOT EXISTS: a restore
-- of a backup older than this migration creates the table before Flyway runs it.
CREATE TABLE IF NOT EXISTS restore_checks (
    table_id   uuid PRIMARY KEY,
    marked_at  timestamptz NOT NULL DEFAULT now()
);
