-- Catalog, schema, table and external location names are case-insensitive, as in Unity Catalog:
-- Names.part folds every name a request gives to lower case, so the names stored before are folded
-- here too. Two names that differ only in case would become one: the upgrade stops and names them,
-- for the operator to drop all but one (with the version before) and upgrade again.
DO $$
DECLARE
    clashes text;
BEGIN
    SELECT string_agg(DISTINCT folded, ', ') INTO clashes FROM (
        SELECT lower(name) AS folded FROM catalogs GROUP BY lower(name) HAVING count(*) > 1
        UNION ALL
        SELECT lower(catalog || '.' || name) FROM schemas GROUP BY lower(catalog || '.' || name) HAVING count(*) > 1
        UNION ALL
        SELECT lower(full_name) FROM tables GROUP BY lower(full_name) HAVING count(*) > 1
        UNION ALL
        SELECT lower(name) FROM external_locations GROUP BY lower(name) HAVING count(*) > 1
    ) c;
    IF clashes IS NOT NULL THEN
        RAISE EXCEPTION 'names that differ only in case (catalog, schema, table or external location names are case-insensitive from this version on): %. Drop all but one of each with the version before, then upgrade again.', clashes;
    END IF;
END $$;

-- A catalog's or schema's new spelling reaches the rows that name it.
ALTER TABLE schemas DROP CONSTRAINT schemas_catalog_fkey;
ALTER TABLE schemas ADD CONSTRAINT schemas_catalog_fkey
    FOREIGN KEY (catalog) REFERENCES catalogs (name) ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE tables DROP CONSTRAINT tables_catalog_schema_fkey;
ALTER TABLE tables ADD CONSTRAINT tables_catalog_schema_fkey
    FOREIGN KEY (catalog, schema) REFERENCES schemas (catalog, name) ON DELETE CASCADE ON UPDATE CASCADE;

UPDATE catalogs SET name = lower(name) WHERE name <> lower(name);
UPDATE schemas SET name = lower(name) WHERE name <> lower(name);
UPDATE tables SET name = lower(name) WHERE name <> lower(name);
UPDATE external_locations SET name = lower(name) WHERE name <> lower(name);

-- Stagings not yet finalized: two of one folded name keep the oldest (as V63 did for one name).
DELETE FROM unity_tables u
WHERE u.table_id IS NULL
  AND EXISTS (SELECT 1 FROM unity_tables o
              WHERE o.table_id IS NULL
                AND lower(o.catalog) = lower(u.catalog) AND lower(o.schema) = lower(u.schema)
                AND lower(o.name) = lower(u.name)
                AND (o.staged_at, o.unity_id) < (u.staged_at, u.unity_id));
UPDATE unity_tables SET catalog = lower(catalog), schema = lower(schema), name = lower(name)
WHERE catalog <> lower(catalog) OR schema <> lower(schema) OR name <> lower(name);

-- Rows that name a table by its full name, as it is named from now on.
UPDATE publish_state SET full_name = lower(full_name) WHERE full_name <> lower(full_name);
UPDATE lineage_outbox SET full_name = lower(full_name) WHERE full_name <> lower(full_name);
UPDATE maintenance_run_outbox SET full_name = lower(full_name) WHERE full_name <> lower(full_name);
UPDATE dropped_locations SET full_name = lower(full_name) WHERE full_name <> lower(full_name);
UPDATE health_incidents SET table_name = lower(table_name) WHERE table_name <> lower(table_name);
UPDATE health_webhooks SET catalog = lower(catalog) WHERE catalog <> lower(catalog);
