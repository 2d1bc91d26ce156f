-- The Iceberg metadata the catalog makes for every table from its Delta log (one table, two
-- formats): where each table's current Iceberg metadata file is and which Delta version it reflects,
-- swapped by compare-and-set on the location, with the last conversion failure (a failure never
-- blocks a Delta commit; loadTable answers the last good metadata); and which Iceberg snapshot each
-- Delta version became, so time travel maps both ways and survives restarts.
CREATE TABLE iceberg_tables (
    table_id          uuid PRIMARY KEY REFERENCES tables (id) ON DELETE CASCADE,
    metadata_location text,
    delta_version     bigint,
    updated_at        timestamptz NOT NULL,
    last_error        text,
    failed_at         timestamptz
);

CREATE TABLE iceberg_snapshots (
    table_id      uuid NOT NULL REFERENCES tables (id) ON DELETE CASCADE,
    delta_version bigint NOT NULL,
    snapshot_id   bigint NOT NULL,
    PRIMARY KEY (table_id, delta_version)
);
CREATE UNIQUE INDEX iceberg_snapshots_by_id ON iceberg_snapshots (table_id, snapshot_id);
