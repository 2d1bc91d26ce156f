-- Publishing Postgres-committed versions to each table's _delta_log (issue 4).
-- No foreign keys to the core's tables: the publisher outlives a dropped table's rows and
-- cleans up after itself.

-- One row per table: how far _delta_log has been written, retries, checkpoints.
CREATE TABLE publish_state (
    table_id                   uuid PRIMARY KEY,
    full_name                  text        NOT NULL,
    location                   text        NOT NULL,
    -- highest version whose _delta_log/<v>.json is known to be written (-1: none yet)
    published_version          bigint      NOT NULL DEFAULT -1,
    -- versions below this were adopted by import: their log files are the table's own, not ours
    verified_from_version      bigint      NOT NULL DEFAULT 0,
    published_at               timestamptz,
    attempts                   integer     NOT NULL DEFAULT 0,
    next_attempt_at            timestamptz NOT NULL DEFAULT now(),
    last_error                 text,
    last_error_at              timestamptz,
    last_checkpoint_version    bigint,
    checkpoint_lease_until     timestamptz,
    checkpoint_attempts        integer     NOT NULL DEFAULT 0,
    checkpoint_next_attempt_at timestamptz NOT NULL DEFAULT now(),
    created_at                 timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX publish_state_full_name ON publish_state (full_name, created_at DESC);

-- The durable queue: one row per committed version, inserted in the commit's own transaction,
-- deleted once the version is in _delta_log. Insert-only from commits, so a commit never waits
-- for a publisher holding its table's publish_state row.
CREATE TABLE publish_queue (
    table_id     uuid        NOT NULL,
    version      bigint      NOT NULL,
    committed_at timestamptz NOT NULL,
    enqueued_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (table_id, version)
);
