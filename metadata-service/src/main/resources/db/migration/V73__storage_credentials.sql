-- Unity Catalog's storage credentials: cloud identities (an AWS IAM role, an Azure service principal
-- or managed identity) that external locations name. Recorded and governed: the platform's own
-- identity still signs what it vends. No secret is stored: an Azure service principal's client
-- secret is a reference (DELTAPLANE_SECRET_*) to one the operator provides, never its value, and
-- is never answered.
CREATE TABLE storage_credentials (
    id                       uuid PRIMARY KEY,
    name                     text NOT NULL UNIQUE,
    purpose                  text NOT NULL CHECK (purpose IN ('STORAGE')),
    kind                     text NOT NULL
        CHECK (kind IN ('aws_iam_role', 'azure_service_principal', 'azure_managed_identity')),
    role_arn                 text,
    external_id              text,
    directory_id             text,
    application_id           text,
    client_secret_reference  text,
    access_connector_id      text,
    managed_identity_id      text,
    comment                  text,
    created_at               timestamptz NOT NULL,
    created_by               text,
    updated_at               timestamptz NOT NULL,
    updated_by               text,
    CHECK (kind <> 'aws_iam_role' OR (role_arn IS NOT NULL AND external_id IS NOT NULL)),
    CHECK (kind <> 'azure_service_principal'
           OR (directory_id IS NOT NULL AND application_id IS NOT NULL AND client_secret_reference IS NOT NULL)),
    CHECK (kind <> 'azure_managed_identity' OR access_connector_id IS NOT NULL)
);

-- The credential an external location names (optional). A credential named by one is deleted only
-- with force; the location then names none.
ALTER TABLE external_locations
    ADD COLUMN credential_id uuid REFERENCES storage_credentials (id) ON DELETE SET NULL;
CREATE INDEX external_locations_credential ON external_locations (credential_id);
