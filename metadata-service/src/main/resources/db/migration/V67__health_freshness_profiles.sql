-- Whether a commit changed data (an add or remove whose dataChange is not false), kept with the
-- commit so a table's last data commit and its data commit history are index reads rather than a
-- scan of every commit's actions. OPTIMIZE, VACUUM and property changes are not data commits.
ALTER TABLE commits ADD COLUMN changes_data boolean NOT NULL GENERATED ALWAYS AS (
    jsonb_path_exists(actions, '$[*] ? ((exists(@.add) && !(@.add.dataChange == false))
                                     || (exists(@.remove) && !(@.remove.dataChange == false)))')) STORED;
CREATE INDEX commits_data_by_time ON commits (table_id, committed_at) WHERE changes_data;

-- Each table's learned freshness, relearned from its commit history at most a day apart, so the
-- health pass over every table reads one row per table instead of its history. allowed_seconds,
-- usual_seconds and weeks hold one entry per hour of the week (Monday 00:00 UTC first), or one
-- entry for every hour when the expectation does not depend on the hour; null when nothing could be
-- learned (too little history).
CREATE TABLE freshness_profiles (
    table_id                uuid PRIMARY KEY REFERENCES tables (id) ON DELETE CASCADE,
    learned_at              timestamptz NOT NULL,
    learned_through         timestamptz,          -- the newest data commit the history held
    history_commits         integer NOT NULL,
    usual_interval_seconds  bigint,
    allowed_seconds         integer[],
    usual_seconds           integer[],
    weeks                   smallint[]
);
CREATE INDEX freshness_profiles_by_age ON freshness_profiles (learned_at);
