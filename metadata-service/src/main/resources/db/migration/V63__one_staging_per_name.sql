-- One staging per table name at a time: two concurrent stagings of one name both inserted before
-- (each got a directory of its own), and every later staging of the name failed on the two rows. The
-- second insert now fails and answers the first (CatalogManagedTableService.stage). Duplicates left by
-- that race keep the oldest staging.
DELETE FROM unity_tables u
WHERE u.table_id IS NULL
  AND EXISTS (SELECT 1 FROM unity_tables o
              WHERE o.table_id IS NULL AND o.catalog = u.catalog AND o.schema = u.schema AND o.name = u.name
                AND (o.staged_at, o.unity_id) < (u.staged_at, u.unity_id));
CREATE UNIQUE INDEX unity_tables_one_staging_per_name ON unity_tables (catalog, schema, name) WHERE table_id IS NULL;
