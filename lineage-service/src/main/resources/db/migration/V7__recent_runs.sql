-- GET /api/v1/runs lists runs across jobs newest first, optionally of one state: both orders are
-- index scans (the per-job order is runs_by_job from V1).
CREATE INDEX runs_recent ON runs (started_at DESC, id DESC);
CREATE INDEX runs_recent_by_state ON runs (state, started_at DESC, id DESC);
