-- A table's own checkpoint interval, from the delta.checkpointInterval of its latest metaData (the
-- Delta table property engines set); NULL means the configured deltaplane.publish.checkpoint-interval.
-- Kept on the publish_state row beside checkpoint_due (V45) so the checkpointer's claim still reads
-- only the rows flagged due: every statement that sets the flag, and the claim, use
-- coalesce(checkpoint_interval, <configured interval>). Written by the commit statement (the publish
-- queue's CTEs, PublishQueue.ENQUEUE_CTES) when a version's metaData sets another value; commits
-- refuse a value that is not an integer from 1 to 2147483647 (ActionParser.checkpointInterval).
ALTER TABLE publish_state ADD COLUMN checkpoint_interval integer
    CONSTRAINT publish_state_checkpoint_interval_positive CHECK (checkpoint_interval > 0);

-- Existing tables take the value of their latest metaData (one primary-key probe per table), where
-- it is a valid interval; before this release it was never checked, so any other value is left as
-- the configured interval. checkpoint_due follows from the new intervals when the checkpointer
-- starts (PublishRepository.ALIGN_CHECKPOINT_DUE).
UPDATE publish_state s
SET checkpoint_interval = CAST(latest.value AS integer)
FROM (
    SELECT p.table_id,
           CASE WHEN m.value ~ '^\+?[0-9]{1,10}$' THEN CAST(m.value AS bigint) END AS value
    FROM publish_state p
    CROSS JOIN LATERAL (
        SELECT v.action -> 'configuration' ->> 'delta.checkpointInterval' AS value
        FROM metadata_versions v
        WHERE v.table_id = p.table_id
        ORDER BY v.version DESC
        LIMIT 1) m) latest
WHERE s.table_id = latest.table_id
  AND latest.value BETWEEN 1 AND 2147483647;
