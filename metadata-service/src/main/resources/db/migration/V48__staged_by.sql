-- Who staged a catalog-managed table: only that principal (or a metastore admin) may finalize it,
-- so another writer in the same schema cannot take over a table being created. Null for tables
-- made catalog-managed by conversion, which are finalized at once.
ALTER TABLE unity_tables ADD COLUMN staged_by text;
