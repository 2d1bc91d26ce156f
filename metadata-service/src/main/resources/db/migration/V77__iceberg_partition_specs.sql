-- The partition spec each table's Iceberg snapshots added files under, from the Delta version on
-- which it became the default: a file is removed under the spec it was added with (Iceberg skips the
-- manifests of every other spec), so the conversion must know it for every live file, also after the
-- snapshot that added it has expired. One row per change of spec: never pruned.
CREATE TABLE iceberg_partition_specs (
    table_id      uuid NOT NULL REFERENCES tables (id) ON DELETE CASCADE,
    delta_version bigint NOT NULL,
    spec_id       integer NOT NULL,
    PRIMARY KEY (table_id, delta_version)
);

-- Iceberg metadata made before this release could hold wrong rows (removals under another partition
-- spec missed, decimal bounds inside the data, reused partition field and nested ids): every table's
-- Iceberg metadata is made again from its Delta log on its next conversion. The Delta log is untouched.
DELETE FROM iceberg_snapshots;
DELETE FROM iceberg_tables;

-- When an Iceberg client last loaded each table: the background keeps current only the tables read
-- within deltaplane.iceberg.keep-current-for; a table no Iceberg client reads costs nothing per commit.
ALTER TABLE iceberg_tables ADD COLUMN last_read_at timestamptz;

-- A background conversion's claim on a table (a token and a lease), taken with SKIP LOCKED so that
-- the replicas' rounds convert each table once; a crashed replica's claim lapses with its lease.
ALTER TABLE iceberg_tables ADD COLUMN claim_token uuid, ADD COLUMN claimed_until timestamptz;
CREATE INDEX iceberg_tables_read ON iceberg_tables (last_read_at) WHERE last_read_at IS NOT NULL;
