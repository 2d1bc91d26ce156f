-- A Delta table is its location: a table dropped and made again under the same name (say on
-- another storage) starts again at version 0 somewhere else. Its versions are new snapshots, not
-- repeats of the old table's, so a versioned snapshot is stored once per (table, version, location)
-- — md5 because a location may be longer than a b-tree entry allows.
DROP INDEX snapshots_table_version;
CREATE UNIQUE INDEX snapshots_table_version_location
    ON snapshots (table_id, version, md5(uri)) WHERE version IS NOT NULL;
-- A table's current location is that of the version lineage heard of last (TableRepository.currentLocation).
CREATE INDEX snapshots_versions_heard ON snapshots (table_id, id DESC) WHERE version IS NOT NULL;
