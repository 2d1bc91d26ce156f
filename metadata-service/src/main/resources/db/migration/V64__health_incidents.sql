-- Data health incidents: one open per table and kind, resolved by itself when the data arrives.
-- Written only by the health evaluator (health.IncidentLog).
CREATE TABLE health_incidents (
    id                      uuid PRIMARY KEY,
    table_id                uuid NOT NULL REFERENCES tables (id) ON DELETE CASCADE,
    table_name              text NOT NULL,           -- catalog.schema.table when it opened
    catalog                 text NOT NULL,
    kind                    text NOT NULL,           -- TABLE_LATE
    status                  text NOT NULL,           -- OPEN, RESOLVED
    opened_at               timestamptz NOT NULL,
    updated_at              timestamptz NOT NULL,
    resolved_at             timestamptz,
    last_data_commit_at     timestamptz,
    staleness_seconds       bigint NOT NULL,         -- at the last evaluation
    allowed_silence_seconds bigint NOT NULL,
    expectation             text NOT NULL            -- how the allowed silence was set, for people
);
CREATE UNIQUE INDEX health_incidents_one_open ON health_incidents (table_id, kind) WHERE status = 'OPEN';
CREATE INDEX health_incidents_recent ON health_incidents (opened_at DESC, id DESC);
