-- Lineage: jobs, runs, table snapshots, events, artifacts, OpenLineage events and the graph.

-- Jobs and tables are the nodes of the lineage graph: one id space, so an edge is two bigints.
CREATE SEQUENCE node_ids;

CREATE TABLE jobs (
    id          bigint      PRIMARY KEY DEFAULT nextval('node_ids'),
    name        text        NOT NULL UNIQUE,
    namespace   text        NOT NULL DEFAULT 'default',
    created_at  timestamptz NOT NULL,
    updated_at  timestamptz NOT NULL
);

CREATE TABLE tracked_tables (
    id          bigint      PRIMARY KEY DEFAULT nextval('node_ids'),
    name        text        NOT NULL UNIQUE,
    namespace   text        NOT NULL DEFAULT 'default',
    created_at  timestamptz NOT NULL
);

CREATE TABLE runs (
    id                  uuid        PRIMARY KEY,
    job_id              bigint      NOT NULL REFERENCES jobs (id),
    state               text        NOT NULL CHECK (state IN ('RUNNING', 'COMPLETED', 'FAILED', 'ABANDONED')),
    metadata            jsonb,
    nominal_time        timestamptz,
    started_at          timestamptz NOT NULL,
    ended_at            timestamptz,
    last_heartbeat_at   timestamptz,
    heartbeat_timeout_ms bigint     NOT NULL CHECK (heartbeat_timeout_ms > 0),
    -- a RUNNING run silent past this instant becomes ABANDONED (moved by every heartbeat)
    heartbeat_deadline  timestamptz NOT NULL,
    -- the request that completed the run: a repeat with the same body is a no-op
    completion          jsonb,
    source              text        NOT NULL DEFAULT 'api'
);
CREATE INDEX runs_by_job ON runs (job_id, started_at DESC, id DESC);
CREATE INDEX runs_running_deadline ON runs (heartbeat_deadline) WHERE state = 'RUNNING';

CREATE TABLE snapshots (
    id          bigserial   PRIMARY KEY,
    table_id    bigint      NOT NULL REFERENCES tracked_tables (id),
    uri         text        NOT NULL,
    format      text        NOT NULL,
    schema      jsonb,
    version     bigint,
    run_id      uuid        REFERENCES runs (id),
    created_at  timestamptz NOT NULL,
    source      text        NOT NULL DEFAULT 'api'
);
-- (table, version) identifies a Delta commit: delivered at least once, stored once.
CREATE UNIQUE INDEX snapshots_table_version ON snapshots (table_id, version) WHERE version IS NOT NULL;
CREATE INDEX snapshots_latest ON snapshots (table_id, created_at DESC, id DESC);
CREATE INDEX snapshots_by_run ON snapshots (run_id) WHERE run_id IS NOT NULL;

CREATE TABLE run_inputs (
    run_id      uuid        NOT NULL REFERENCES runs (id),
    table_id    bigint      NOT NULL REFERENCES tracked_tables (id),
    snapshot_id bigint      REFERENCES snapshots (id),
    read_at     timestamptz NOT NULL
);
CREATE UNIQUE INDEX run_inputs_once ON run_inputs (run_id, table_id, snapshot_id) NULLS NOT DISTINCT;

CREATE TABLE events (
    id          uuid        PRIMARY KEY,
    event_type  text        NOT NULL,
    data        jsonb,
    job_id      bigint      REFERENCES jobs (id),
    run_id      uuid        REFERENCES runs (id),
    created_at  timestamptz NOT NULL
);
CREATE INDEX events_by_run ON events (run_id, created_at) WHERE run_id IS NOT NULL;

CREATE TABLE artifacts (
    uri          text        PRIMARY KEY,
    bucket       text        NOT NULL,
    object_key   text        NOT NULL,
    size         bigint      NOT NULL CHECK (size >= 0),
    sha256       text        NOT NULL,
    content_type text,
    created_at   timestamptz NOT NULL
);

CREATE TABLE run_artifacts (
    run_id  uuid NOT NULL REFERENCES runs (id),
    type    text NOT NULL,
    uri     text NOT NULL,
    PRIMARY KEY (run_id, uri)
);

-- OpenLineage RunEvents exactly as received.
CREATE TABLE openlineage_events (
    id              bigserial   PRIMARY KEY,
    run_id          uuid        NOT NULL,
    event_type      text        NOT NULL,
    event_time      timestamptz NOT NULL,
    job_namespace   text        NOT NULL,
    job_name        text        NOT NULL,
    payload         jsonb       NOT NULL,
    received_at     timestamptz NOT NULL
);
CREATE INDEX openlineage_events_by_run ON openlineage_events (run_id, id);

-- The lineage graph at job level: table -> job (read), job -> table (write).
CREATE TABLE edges (
    src bigint NOT NULL,
    dst bigint NOT NULL,
    PRIMARY KEY (src, dst)
);
CREATE INDEX edges_by_dst ON edges (dst, src);
