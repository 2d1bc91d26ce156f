-- Transactional outbox: every committed version, written in the commit's own transaction, waiting
-- to be delivered to lineage-service as a table snapshot (at least once; lineage is idempotent on
-- (table, version)). A row is deleted once lineage-service has acknowledged it.
CREATE TABLE lineage_outbox (
    id               bigserial   PRIMARY KEY,
    table_id         uuid        NOT NULL,
    full_name        text        NOT NULL,
    location         text        NOT NULL,
    version          bigint      NOT NULL,
    committed_at     timestamptz NOT NULL,
    -- the request id of the commit, forwarded on delivery so both services' logs line up
    request_id       text,
    attempts         int         NOT NULL DEFAULT 0,
    next_attempt_at  timestamptz NOT NULL,
    last_error       text,
    created_at       timestamptz NOT NULL
);
CREATE INDEX lineage_outbox_due ON lineage_outbox (next_attempt_at, id);
