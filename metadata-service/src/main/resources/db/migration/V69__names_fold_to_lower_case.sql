-- Catalog, schema, table and external location names are case-insensitive, as in Unity Catalog:
-- Names.part folds every name a request gives to lower case, so the names stored before are folded
-- here too, with the grants and owners that name them. Two names that differ only in case would
-- become one: the upgrade stops and names them, for the operator to drop all but one (with the
-- version before) and upgrade again; nothing is folded until none is left. lower(... COLLATE "C")
-- folds ASCII only, as Java's Locale.ROOT does for the names the rules allow, whatever the
-- database's locale.
DO $$
DECLARE
    clashes text;
BEGIN
    SELECT string_agg(DISTINCT folded, ', ') INTO clashes FROM (
        SELECT lower(name COLLATE "C") AS folded FROM catalogs GROUP BY 1 HAVING count(*) > 1
        UNION ALL
        SELECT lower((catalog || '.' || name) COLLATE "C") FROM schemas GROUP BY 1 HAVING count(*) > 1
        UNION ALL
        SELECT lower(full_name COLLATE "C") FROM tables GROUP BY 1 HAVING count(*) > 1
        UNION ALL
        SELECT lower(name COLLATE "C") FROM external_locations GROUP BY 1 HAVING count(*) > 1
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

UPDATE catalogs SET name = lower(name COLLATE "C") WHERE name <> lower(name COLLATE "C");
UPDATE schemas SET name = lower(name COLLATE "C") WHERE name <> lower(name COLLATE "C");
UPDATE tables SET name = lower(name COLLATE "C") WHERE name <> lower(name COLLATE "C");
UPDATE external_locations SET name = lower(name COLLATE "C") WHERE name <> lower(name COLLATE "C");

-- Stagings not yet finalized: two of one folded name keep the oldest (as V63 did for one name).
DELETE FROM unity_tables u
WHERE u.table_id IS NULL
  AND EXISTS (SELECT 1 FROM unity_tables o
              WHERE o.table_id IS NULL
                AND lower((o.catalog || '.' || o.schema || '.' || o.name) COLLATE "C")
                    = lower((u.catalog || '.' || u.schema || '.' || u.name) COLLATE "C")
                AND (o.staged_at, o.unity_id) < (u.staged_at, u.unity_id));
UPDATE unity_tables
SET catalog = lower(catalog COLLATE "C"), schema = lower(schema COLLATE "C"), name = lower(name COLLATE "C")
WHERE (catalog || '.' || schema || '.' || name) <> lower((catalog || '.' || schema || '.' || name) COLLATE "C");

-- Rows that name a table or a catalog, as it is named from now on.
UPDATE publish_state SET full_name = lower(full_name COLLATE "C") WHERE full_name <> lower(full_name COLLATE "C");
UPDATE lineage_outbox SET full_name = lower(full_name COLLATE "C") WHERE full_name <> lower(full_name COLLATE "C");
UPDATE maintenance_run_outbox SET full_name = lower(full_name COLLATE "C")
WHERE full_name <> lower(full_name COLLATE "C");
UPDATE dropped_locations SET full_name = lower(full_name COLLATE "C") WHERE full_name <> lower(full_name COLLATE "C");
UPDATE health_incidents SET table_name = lower(table_name COLLATE "C"), catalog = lower(catalog COLLATE "C")
WHERE table_name <> lower(table_name COLLATE "C") OR catalog <> lower(catalog COLLATE "C");
UPDATE health_webhooks SET catalog = lower(catalog COLLATE "C") WHERE catalog <> lower(catalog COLLATE "C");

-- Grants and owners (the platform schema, migrated before this one) name their securables folded
-- too; after the check above, two rows that now name one securable are one grant made twice.
INSERT INTO platform.grants (securable_type, securable_name, principal, privilege)
SELECT securable_type, lower(securable_name COLLATE "C"), principal, privilege
FROM platform.grants
WHERE securable_name <> lower(securable_name COLLATE "C")
ON CONFLICT DO NOTHING;
DELETE FROM platform.grants WHERE securable_name <> lower(securable_name COLLATE "C");
INSERT INTO platform.owners (securable_type, securable_name, owner)
SELECT securable_type, lower(securable_name COLLATE "C"), owner
FROM platform.owners
WHERE securable_name <> lower(securable_name COLLATE "C")
ON CONFLICT DO NOTHING;
DELETE FROM platform.owners WHERE securable_name <> lower(securable_name COLLATE "C");

-- From now on a name that is not folded cannot be stored: a replica of the version before, during a
-- rolling upgrade, fails loudly rather than making a table this version cannot address.
ALTER TABLE catalogs ADD CONSTRAINT catalogs_name_folded CHECK (name = lower(name COLLATE "C"));
ALTER TABLE schemas ADD CONSTRAINT schemas_name_folded
    CHECK (catalog = lower(catalog COLLATE "C") AND name = lower(name COLLATE "C"));
ALTER TABLE tables ADD CONSTRAINT tables_name_folded
    CHECK (catalog = lower(catalog COLLATE "C") AND schema = lower(schema COLLATE "C") AND name = lower(name COLLATE "C"));
ALTER TABLE external_locations ADD CONSTRAINT external_locations_name_folded CHECK (name = lower(name COLLATE "C"));
