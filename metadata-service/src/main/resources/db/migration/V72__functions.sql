-- Unity Catalog's functions: a definition kept and served as its creator sent it, never run by the
-- platform (engines run them). Parameters and routine dependencies are JSON lists in the order
-- sent; properties is UC's JSON-encoded string, kept as text. Dropped with their schema.
CREATE TABLE functions (
    id                    uuid PRIMARY KEY,
    catalog               text NOT NULL,
    schema                text NOT NULL,
    name                  text NOT NULL,
    input_params          jsonb,
    data_type             text NOT NULL,
    full_data_type        text NOT NULL,
    return_params         jsonb,
    routine_body          text NOT NULL CHECK (routine_body IN ('SQL', 'EXTERNAL')),
    routine_definition    text NOT NULL,
    routine_dependencies  jsonb,
    parameter_style       text NOT NULL CHECK (parameter_style IN ('S')),
    is_deterministic      boolean NOT NULL,
    sql_data_access       text CHECK (sql_data_access IN ('CONTAINS_SQL', 'READS_SQL_DATA', 'NO_SQL')),
    is_null_call          boolean NOT NULL,
    security_type         text NOT NULL CHECK (security_type IN ('DEFINER')),
    specific_name         text NOT NULL,
    comment               text,
    properties            text,
    external_language     text,
    created_at            timestamptz NOT NULL,
    created_by            text,
    updated_at            timestamptz NOT NULL,
    updated_by            text,
    UNIQUE (catalog, schema, name),
    FOREIGN KEY (catalog, schema) REFERENCES schemas (catalog, name) ON DELETE CASCADE
);
