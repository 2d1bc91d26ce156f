-- snapshots/latest (SnapshotRepository.LATEST) orders a table's snapshots highest version first,
-- unversioned ones last: an index in exactly that order lets it read one index entry instead of
-- sorting every snapshot of the table. (V7 is taken by another change to this service.)
CREATE INDEX snapshots_latest_first
    ON snapshots (table_id, (version IS NULL), version DESC, created_at DESC, id DESC);
