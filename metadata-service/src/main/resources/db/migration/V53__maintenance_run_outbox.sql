-- Maintenance runs (OPTIMIZE, VACUUM, log cleanup) on their way to lineage-service as OpenLineage
-- runs of job maintenance:<table>: MaintenanceRunOutbox writes a row when a run ends,
-- MaintenanceRunRelay delivers it (START, then COMPLETE or FAIL) and deletes it. No foreign key to
-- tables: the runs of a table dropped meanwhile still reach lineage.
CREATE TABLE maintenance_run_outbox (
    id               bigserial PRIMARY KEY,
    run_id           uuid        NOT NULL UNIQUE,
    full_name        text        NOT NULL,
    operation        text        NOT NULL,
    run_trigger      text        NOT NULL,
    started_at       timestamptz NOT NULL,
    ended_at         timestamptz NOT NULL,
    error            text,
    figures          jsonb       NOT NULL,
    attempts         integer     NOT NULL DEFAULT 0,
    next_attempt_at  timestamptz NOT NULL,
    last_error       text,
    created_at       timestamptz NOT NULL
);

CREATE INDEX maintenance_run_outbox_due ON maintenance_run_outbox (next_attempt_at, id);
