-- Unity Catalog's volumes: directories of files that are not tables, in a schema. A MANAGED
-- volume's directory is the platform's (placed under the catalog's storage root or the warehouse,
-- kept for the dropped-table retention after a drop, then purged); an EXTERNAL one is its creator's,
-- under an external location. No volume's directory overlaps another's or a table's
-- (StorageRoots).
CREATE TABLE volumes (
    id                uuid PRIMARY KEY,
    catalog           text NOT NULL,
    schema            text NOT NULL,
    name              text NOT NULL,
    volume_type       text NOT NULL CHECK (volume_type IN ('MANAGED', 'EXTERNAL')),
    storage_location  text NOT NULL UNIQUE,
    comment           text,
    created_at        timestamptz NOT NULL,
    created_by        text,
    updated_at        timestamptz NOT NULL,
    updated_by        text,
    UNIQUE (catalog, schema, name),
    FOREIGN KEY (catalog, schema) REFERENCES schemas (catalog, name) ON DELETE CASCADE
);
