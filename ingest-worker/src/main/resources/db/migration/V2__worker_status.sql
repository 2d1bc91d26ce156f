-- Each worker's view of each mapping, reported every status interval, so the status endpoint,
-- answered by any worker, adds up all of them (written by StatusBoard only).
--   status:      the worker's own MappingStatus (state, partitions, lag, last batch); null for a
--                writer known only from the warehouse's totals
--   rows, dead_letters, batches: what the worker wrote in all, as its row in the warehouse's
--                totals says; only ever raised (GREATEST), so a late report never lowers them
--   live_until:  the report holds until then (three intervals); a worker that stops sets it to now
CREATE TABLE worker_status (
    mapping      TEXT        NOT NULL,
    worker       TEXT        NOT NULL,
    status       JSONB,
    rows         BIGINT      NOT NULL,
    dead_letters BIGINT      NOT NULL,
    batches      BIGINT      NOT NULL,
    reported_at  TIMESTAMPTZ,
    live_until   TIMESTAMPTZ,
    PRIMARY KEY (mapping, worker)
);
