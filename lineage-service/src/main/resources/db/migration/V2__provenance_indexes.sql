-- Provenance reads run_inputs by what was read: the readers of one table version, and the runs
-- behind a table -> job edge (run_inputs_once leads with run_id, which neither lookup has).
CREATE INDEX run_inputs_by_snapshot ON run_inputs (snapshot_id, read_at) WHERE snapshot_id IS NOT NULL;
CREATE INDEX run_inputs_by_table ON run_inputs (table_id, read_at DESC);
