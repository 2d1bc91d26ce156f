-- Whether a table supports Delta's row tracking (the rowTracking writer feature): set by the commit
-- whose protocol adds it (features are never dropped). The commit's compare-and-swap takes a version
-- of such a table only from the general path, which checks and assigns row ids against the stored
-- high-water mark; a fast-path commit validated against a cached state misses and is redone there.
-- No table had the feature before this migration (it was refused), so none needs setting here.
ALTER TABLE tables ADD COLUMN row_tracking boolean NOT NULL DEFAULT false;
