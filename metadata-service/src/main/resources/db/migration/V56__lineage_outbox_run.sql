-- The lineage run that wrote the version, when its commitInfo names one (deltaplaneRunId): the
-- relay delivers the version with its writer, so a pipeline need not register it a second time.
ALTER TABLE lineage_outbox ADD COLUMN run_id uuid;
