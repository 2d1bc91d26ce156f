-- The maintenance worker's bookkeeping per table (MaintenanceRepository is its one writer): the
-- table version its last round looked at (a table with no commit since is not planned again), the
-- lease that keeps two replicas off one table, and what its last OPTIMIZE and VACUUM did.
CREATE TABLE maintenance_state (
    table_id          uuid PRIMARY KEY REFERENCES tables (id) ON DELETE CASCADE,
    checked_version   bigint NOT NULL DEFAULT -1,
    lease_until       timestamptz,
    last_optimize_at  timestamptz,
    last_optimize     jsonb,
    last_vacuum_at    timestamptz,
    last_vacuum       jsonb,
    last_error        text,
    last_error_at     timestamptz
);
