-- OpenLineage datasets keep their namespace: the same name in two namespaces is two datasets.
-- A name alone still finds a dataset (the platform's own 'default' namespace first, else the oldest);
-- 'namespace::name' names one exactly.
ALTER TABLE tracked_tables DROP CONSTRAINT tracked_tables_name_key;
ALTER TABLE tracked_tables ADD CONSTRAINT tracked_tables_namespace_name UNIQUE (namespace, name);
CREATE INDEX tracked_tables_by_name ON tracked_tables (name, id);

-- Column lineage from OpenLineage's columnLineage facet: output field <- input field, per run.
CREATE TABLE column_lineage (
    id                      bigserial   PRIMARY KEY,
    run_id                  uuid        NOT NULL REFERENCES runs (id),
    output_table_id         bigint      NOT NULL REFERENCES tracked_tables (id),
    output_field            text        NOT NULL,
    input_table_id          bigint      NOT NULL REFERENCES tracked_tables (id),
    input_field             text        NOT NULL,
    transformation_type     text,
    transformation_subtype  text,
    description             text,
    created_at              timestamptz NOT NULL,
    CONSTRAINT column_lineage_once UNIQUE (run_id, output_table_id, output_field, input_table_id, input_field)
);
CREATE INDEX column_lineage_upstream ON column_lineage (output_table_id, output_field);
CREATE INDEX column_lineage_downstream ON column_lineage (input_table_id, input_field);
