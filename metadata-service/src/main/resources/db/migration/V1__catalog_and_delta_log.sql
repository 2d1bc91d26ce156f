-- The Delta transaction log, relational and authoritative. A snapshot at version v is one indexed
-- query: a row is live at v when added_version <= v and (removed_version is null or > v).

CREATE TABLE catalogs (
    name        text PRIMARY KEY,
    comment     text,
    created_at  timestamptz NOT NULL
);

CREATE TABLE schemas (
    catalog     text NOT NULL REFERENCES catalogs (name) ON DELETE CASCADE,
    name        text NOT NULL,
    comment     text,
    created_at  timestamptz NOT NULL,
    PRIMARY KEY (catalog, name)
);

CREATE TABLE tables (
    id                 uuid PRIMARY KEY,             -- also the Delta metaData.id
    catalog            text NOT NULL,
    schema             text NOT NULL,
    name               text NOT NULL,
    full_name          text GENERATED ALWAYS AS (catalog || '.' || schema || '.' || name) STORED,
    location           text NOT NULL UNIQUE,         -- file:/absolute/path URI, no trailing slash
    current_version    bigint NOT NULL,
    last_committed_at  timestamptz NOT NULL,         -- in-commit timestamp of current_version
    partition_columns  text[] NOT NULL,              -- of the current metaData (hot-path validation)
    comment            text,
    created_at         timestamptz NOT NULL,
    updated_at         timestamptz NOT NULL,
    UNIQUE (catalog, schema, name),
    FOREIGN KEY (catalog, schema) REFERENCES schemas (catalog, name) ON DELETE CASCADE
);

-- One row per version: the compare-and-swap is its primary key.
CREATE TABLE commits (
    table_id      uuid NOT NULL REFERENCES tables (id) ON DELETE CASCADE,
    version       bigint NOT NULL,
    committed_at  timestamptz NOT NULL,
    operation     text NOT NULL,
    actions       jsonb NOT NULL,                    -- Delta protocol actions, commitInfo first
    num_files     bigint NOT NULL,                   -- live files after this version
    size_bytes    bigint NOT NULL,                   -- their total size
    PRIMARY KEY (table_id, version)
);
CREATE INDEX commits_by_time ON commits (table_id, committed_at);

CREATE TABLE files (
    table_id          uuid NOT NULL REFERENCES tables (id) ON DELETE CASCADE,
    path              text NOT NULL,
    added_version     bigint NOT NULL,
    removed_version   bigint,
    size              bigint NOT NULL,
    action            text NOT NULL,                 -- the add action object, Delta JSON, streamed as is
    PRIMARY KEY (table_id, path, added_version)
);
-- At most one live row per path; also serves removes and the latest snapshot.
CREATE UNIQUE INDEX files_live_path ON files (table_id, path) WHERE removed_version IS NULL;

CREATE TABLE metadata_versions (
    table_id  uuid NOT NULL REFERENCES tables (id) ON DELETE CASCADE,
    version   bigint NOT NULL,
    action    jsonb NOT NULL,
    PRIMARY KEY (table_id, version)
);

CREATE TABLE protocol_versions (
    table_id  uuid NOT NULL REFERENCES tables (id) ON DELETE CASCADE,
    version   bigint NOT NULL,
    action    jsonb NOT NULL,
    PRIMARY KEY (table_id, version)
);

-- txn actions: the latest (appId → version) at or before v answers idempotent writers.
CREATE TABLE app_txns (
    table_id      uuid NOT NULL REFERENCES tables (id) ON DELETE CASCADE,
    app_id        text NOT NULL,
    version       bigint NOT NULL,                   -- table version that carried the txn
    txn_version   bigint NOT NULL,
    last_updated  bigint,
    PRIMARY KEY (table_id, app_id, version)
);

CREATE TABLE domain_metadata (
    table_id       uuid NOT NULL REFERENCES tables (id) ON DELETE CASCADE,
    domain         text NOT NULL,
    version        bigint NOT NULL,
    configuration  text NOT NULL,
    removed        boolean NOT NULL,
    PRIMARY KEY (table_id, domain, version)
);
