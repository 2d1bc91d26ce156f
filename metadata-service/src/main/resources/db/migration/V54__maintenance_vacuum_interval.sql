-- The VACUUM interval of the table's policy when the worker last looked (deltaplane.autoVacuum.interval
-- on the table, its schema or catalog); null: the platform's. It decides when the table is due again.
ALTER TABLE maintenance_state ADD COLUMN vacuum_interval_seconds double precision;
