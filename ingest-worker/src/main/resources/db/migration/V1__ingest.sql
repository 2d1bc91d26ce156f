-- Mappings managed by the API; workers poll this table and reconcile their consumers.
CREATE TABLE mappings (
    name       TEXT PRIMARY KEY,
    spec       JSONB       NOT NULL,
    paused     BOOLEAN     NOT NULL DEFAULT FALSE,
    version    BIGINT      NOT NULL DEFAULT 1,
    created_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL
);

-- Native Event Hubs: partition ownership for load balancing between worker replicas
-- (optimistic concurrency on etag) and checkpoints (monitoring only: the DuckDB control table
-- is where a partition resumes from).
CREATE TABLE eventhubs_ownership (
    namespace        TEXT   NOT NULL,
    event_hub        TEXT   NOT NULL,
    consumer_group   TEXT   NOT NULL,
    partition_id     TEXT   NOT NULL,
    owner_id         TEXT   NOT NULL,
    last_modified_ms BIGINT NOT NULL,
    etag             TEXT   NOT NULL,
    PRIMARY KEY (namespace, event_hub, consumer_group, partition_id)
);

CREATE TABLE eventhubs_checkpoints (
    namespace       TEXT        NOT NULL,
    event_hub       TEXT        NOT NULL,
    consumer_group  TEXT        NOT NULL,
    partition_id    TEXT        NOT NULL,
    offset_string   TEXT,
    sequence_number BIGINT,
    updated_at      TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (namespace, event_hub, consumer_group, partition_id)
);
