-- What Unity Catalog's API shows of catalogs and schemas besides their names: a stable id, the
-- properties a client set, and when they last changed. One row per installation names the
-- metastore (GET /api/2.1/unity-catalog/metastore_summary): its id never changes.
ALTER TABLE catalogs
    ADD COLUMN id uuid NOT NULL DEFAULT gen_random_uuid(),
    ADD COLUMN properties jsonb NOT NULL DEFAULT '{}',
    ADD COLUMN updated_at timestamptz;

ALTER TABLE schemas
    ADD COLUMN id uuid NOT NULL DEFAULT gen_random_uuid(),
    ADD COLUMN properties jsonb NOT NULL DEFAULT '{}',
    ADD COLUMN updated_at timestamptz;

CREATE TABLE metastore (
    id          uuid PRIMARY KEY,
    one_row     boolean NOT NULL DEFAULT true UNIQUE CHECK (one_row),
    created_at  timestamptz NOT NULL
);

INSERT INTO metastore (id, created_at) VALUES (gen_random_uuid(), now());
