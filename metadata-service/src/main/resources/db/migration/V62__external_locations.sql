-- Unity Catalog's external locations: storage prefixes under the operator's storage roots on which
-- a metastore admin grants CREATE_EXTERNAL_TABLE (register EXTERNAL tables and imports under it) or
-- CREATE_MANAGED_STORAGE (catalog storage roots under it). Locations do not overlap.
CREATE TABLE external_locations (
    id          uuid PRIMARY KEY,
    name        text NOT NULL UNIQUE,
    url         text NOT NULL UNIQUE,
    comment     text,
    created_at  timestamptz NOT NULL,
    created_by  text,
    updated_at  timestamptz
);
