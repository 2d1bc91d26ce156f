-- Catalog-managed Delta tables (the Delta protocol's catalogManaged feature), as engines create
-- and commit to them through Unity Catalog's Delta REST API.
--
-- unity_tables: a table id and location handed out by POST .../staging-tables, and the table it
-- became once the engine finalized it (null until then; the row goes when the table is dropped).
CREATE TABLE unity_tables (
    unity_id     uuid PRIMARY KEY,               -- UC's table id: io.unitycatalog.tableId, table-uuid
    catalog      text NOT NULL,
    schema       text NOT NULL,
    name         text NOT NULL,
    location     text NOT NULL UNIQUE,
    staged_at    timestamptz NOT NULL,
    table_id     uuid UNIQUE REFERENCES tables (id) ON DELETE CASCADE
);

-- catalog_commits: the staged commit file each ratified version came from
-- (_delta_log/_staged_commits/<file_name>); publishing copies its bytes to <version>.json.
CREATE TABLE catalog_commits (
    table_id                uuid NOT NULL REFERENCES tables (id) ON DELETE CASCADE,
    version                 bigint NOT NULL,
    file_name               text NOT NULL,
    file_size               bigint NOT NULL,
    file_modification_time  bigint NOT NULL,
    commit_timestamp        bigint NOT NULL,
    PRIMARY KEY (table_id, version)
);
