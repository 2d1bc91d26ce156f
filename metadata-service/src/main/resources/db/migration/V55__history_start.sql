-- Postgres history retention (maintenance.HistoryPruning, deltaplane.maintenance.history-retention):
-- versions below history_start_version were deleted from the core's tables on purpose. Recorded
-- before any row goes, so a read of an older version is refused rather than answered from part of
-- its rows; never above log_start_version, so Postgres holds every version _delta_log holds.
ALTER TABLE publish_state ADD COLUMN history_start_version bigint NOT NULL DEFAULT 0
    CONSTRAINT publish_state_history_within_log CHECK (history_start_version <= log_start_version);
