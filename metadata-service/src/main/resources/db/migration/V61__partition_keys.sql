-- The keys of a table's partitionValues where they differ from its partition columns: the
-- partition columns' physical names under Delta's column mapping (delta.columnMapping.mode name or
-- id), which a rename of a partition column does not change. NULL: the partition columns.
ALTER TABLE tables ADD COLUMN partition_keys text[];
