-- Unity Catalog's views and metric views: a definition (SQL an engine runs) over the tables and
-- functions it depends on, named in a schema as tables are, with no location and no Delta log. A
-- view and a table never share a name (both are claimed under the location claims' lock).
CREATE TABLE views (
    id                 uuid PRIMARY KEY,
    catalog            text NOT NULL,
    schema             text NOT NULL,
    name               text NOT NULL,
    view_type          text NOT NULL CHECK (view_type IN ('VIEW', 'METRIC_VIEW')),
    view_definition    text NOT NULL,
    view_dependencies  jsonb NOT NULL,
    columns            jsonb NOT NULL,
    comment            text,
    properties         jsonb NOT NULL,
    created_at         timestamptz NOT NULL,
    created_by         text,
    updated_at         timestamptz NOT NULL,
    updated_by         text,
    UNIQUE (catalog, schema, name),
    FOREIGN KEY (catalog, schema) REFERENCES schemas (catalog, name) ON DELETE CASCADE
);
