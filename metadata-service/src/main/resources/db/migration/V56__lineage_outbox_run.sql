-- The lineage run that wrote the version, when its commitInfo names one (deltaplaneRunId): the
-- relay delivers the version with its writer, so a pipeline need not register it a second time.
ALTER TABLE lineage_outbox ADD COLUMN run_id uuid;
-- From when on the version goes without its writer: lineage said the run was not running when the
-- version was committed (at once), or has not heard of the run for deltaplane.lineage.run-wait.
ALTER TABLE lineage_outbox ADD COLUMN writer_dropped_after timestamptz;
