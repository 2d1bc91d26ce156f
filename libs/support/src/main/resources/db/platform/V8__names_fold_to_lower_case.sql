-- Catalog, schema, table and external location names are case-insensitive (Names.part folds them
-- to lower case; metadata-service's V69 folds the names it stores): grants and owners name their
-- securables folded too. Rows that now name one securable twice keep one.
INSERT INTO platform.grants (securable_type, securable_name, principal, privilege)
SELECT securable_type, lower(securable_name), principal, privilege
FROM platform.grants
WHERE securable_name <> lower(securable_name)
ON CONFLICT DO NOTHING;
DELETE FROM platform.grants WHERE securable_name <> lower(securable_name);

INSERT INTO platform.owners (securable_type, securable_name, owner)
SELECT securable_type, lower(securable_name), owner
FROM platform.owners
WHERE securable_name <> lower(securable_name)
ON CONFLICT DO NOTHING;
DELETE FROM platform.owners WHERE securable_name <> lower(securable_name);
