-- Unity Catalog's registered models (MLflow's UC model registry) and their versions. A model's
-- directory is the platform's, placed as a MANAGED volume's is (<catalog storage root or
-- warehouse>/__unitystorage/catalogs/<catalog id>/models/<model id>); each version's lies inside it
-- (<model>/versions/<version id>). max_version is the last version number handed out: numbers are
-- never reused, even after a version is dropped. Dropped with their schema; versions with their model.
CREATE TABLE registered_models (
    id                uuid PRIMARY KEY,
    catalog           text NOT NULL,
    schema            text NOT NULL,
    name              text NOT NULL,
    storage_location  text NOT NULL UNIQUE,
    comment           text,
    max_version       bigint NOT NULL DEFAULT 0 CHECK (max_version >= 0),
    created_at        timestamptz NOT NULL,
    created_by        text,
    updated_at        timestamptz NOT NULL,
    updated_by        text,
    UNIQUE (catalog, schema, name),
    FOREIGN KEY (catalog, schema) REFERENCES schemas (catalog, name) ON DELETE CASCADE
);

CREATE TABLE model_versions (
    id                uuid PRIMARY KEY,
    model_id          uuid NOT NULL REFERENCES registered_models (id) ON DELETE CASCADE,
    version           bigint NOT NULL CHECK (version > 0),
    source            text NOT NULL,
    run_id            text,
    status            text NOT NULL
                      CHECK (status IN ('PENDING_REGISTRATION', 'FAILED_REGISTRATION', 'READY')),
    storage_location  text NOT NULL UNIQUE,
    comment           text,
    created_at        timestamptz NOT NULL,
    created_by        text,
    updated_at        timestamptz NOT NULL,
    updated_by        text,
    UNIQUE (model_id, version)
);
