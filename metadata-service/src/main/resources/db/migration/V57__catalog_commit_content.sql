-- The bytes of each ratified staged commit, as the catalog read and validated them once. Publishing
-- writes <version>.json from them and reconciling compares the log against them; the engine's staged
-- file under _delta_log/_staged_commits/ is never read again (the engine may rewrite or delete it).
-- Null only for versions ratified before this column existed: those are published from the
-- version's actions in Postgres.
ALTER TABLE catalog_commits ADD COLUMN content bytea;
