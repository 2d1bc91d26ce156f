-- Views on their way to lineage-service as OpenLineage runs of job view:<view>, reading the tables
-- and views the view depends on and writing the view: ViewLineageOutbox writes a row in the
-- transaction that defines the view, ViewLineageRelay delivers it (START with the datasets, then
-- COMPLETE) and deletes it. No foreign key to views: a view dropped meanwhile still reaches lineage
-- as the definition it had.
CREATE TABLE view_lineage_outbox (
    id               bigserial PRIMARY KEY,
    run_id           uuid        NOT NULL UNIQUE,
    full_name        text        NOT NULL,
    view_type        text        NOT NULL,
    reads            jsonb       NOT NULL,
    defined_at       timestamptz NOT NULL,
    attempts         integer     NOT NULL DEFAULT 0,
    next_attempt_at  timestamptz NOT NULL,
    last_error       text,
    created_at       timestamptz NOT NULL
);

CREATE INDEX view_lineage_outbox_due ON view_lineage_outbox (next_attempt_at, id);
