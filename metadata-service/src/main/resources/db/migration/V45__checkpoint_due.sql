-- The checkpointer's claim found due tables by scanning every publish_state row on every poll
-- (its condition compares published_version with last_checkpoint_version by the configured
-- interval, which no index can serve): 20,000 rows a poll per replica with 20,000 tables. Whether a
-- table is due by versions is now kept on its row, written wherever published_version,
-- last_checkpoint_version or verified_from_version change (the publisher's progress marks, the
-- checkpoint's own update, a reset, an import; never the commit, whose new row is not due), and the
-- claim reads only the rows of this partial index. A flag rather than an index over
-- published_version: a column in an index's key or predicate that changes makes the update
-- non-HOT, and the publisher's marks change published_version on every round; the flag changes
-- only when a table crosses its next checkpoint version. Rows are set from the configured interval
-- when the checkpointer starts (PublishRepository.ALIGN_CHECKPOINT_DUE).
ALTER TABLE publish_state ADD COLUMN checkpoint_due boolean NOT NULL DEFAULT false;

CREATE INDEX publish_state_checkpoint_due ON publish_state (checkpoint_next_attempt_at) WHERE checkpoint_due;
