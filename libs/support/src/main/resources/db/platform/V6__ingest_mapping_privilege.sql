-- Ingest mappings into DuckDB / MotherDuck are a privilege of their own (on the metastore); the
-- keys that could manage mappings before (write scope) keep it.
INSERT INTO platform.grants (securable_type, securable_name, principal, privilege)
VALUES ('metastore', 'metastore', 'legacy_writers', 'CREATE_INGEST_MAPPING')
ON CONFLICT DO NOTHING;
