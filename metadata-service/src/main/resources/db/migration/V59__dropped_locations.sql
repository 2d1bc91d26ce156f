-- The platform's own directories of tables dropped without purging their files: no one but the
-- principal that dropped the table (or a metastore admin) may register such a directory (or one
-- inside or above it) as an EXTERNAL location or import it, so a dropped managed table's data never
-- becomes another team's. A managed create at the same location (the platform's own directory again)
-- releases it.
CREATE TABLE dropped_locations (
    location    text PRIMARY KEY,
    table_id    uuid NOT NULL,
    full_name   text NOT NULL,
    dropped_at  timestamptz NOT NULL,
    dropped_by  text                       -- the principal whose request dropped it
);
