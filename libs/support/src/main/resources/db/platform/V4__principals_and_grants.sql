-- Who may do what, shared by every service: principals (users, service principals, groups), group
-- membership, Unity Catalog privileges granted on securables (metastore, catalog, schema, table)
-- and each securable's owner. Securables are named as in UC: the metastore is 'metastore', a
-- catalog 'c', a schema 'c.s', a table 'c.s.t'. Written only by io.deltaplane.support.access.
CREATE TABLE IF NOT EXISTS platform.principals (
    name        text        PRIMARY KEY,
    type        text        NOT NULL CHECK (type IN ('user', 'service_principal', 'group')),
    created_at  timestamptz NOT NULL
);

CREATE TABLE IF NOT EXISTS platform.group_members (
    group_name  text NOT NULL REFERENCES platform.principals (name) ON DELETE CASCADE,
    member      text NOT NULL REFERENCES platform.principals (name) ON DELETE CASCADE,
    PRIMARY KEY (group_name, member),
    CHECK (group_name <> member)
);
CREATE INDEX IF NOT EXISTS group_members_member ON platform.group_members (member);

CREATE TABLE IF NOT EXISTS platform.grants (
    securable_type  text NOT NULL CHECK (securable_type IN ('metastore', 'catalog', 'schema', 'table')),
    securable_name  text NOT NULL,
    principal       text NOT NULL REFERENCES platform.principals (name) ON DELETE CASCADE,
    privilege       text NOT NULL,
    PRIMARY KEY (securable_type, securable_name, principal, privilege)
);
CREATE INDEX IF NOT EXISTS grants_principal ON platform.grants (principal);

CREATE TABLE IF NOT EXISTS platform.owners (
    securable_type  text NOT NULL CHECK (securable_type IN ('metastore', 'catalog', 'schema', 'table')),
    securable_name  text NOT NULL,
    owner           text NOT NULL REFERENCES platform.principals (name),
    PRIMARY KEY (securable_type, securable_name)
);
CREATE INDEX IF NOT EXISTS owners_owner ON platform.owners (owner);

-- The installation's first principals: the metastore admins' group owns the metastore (so its
-- members hold every privilege on everything), and the bootstrap admin key's principal is in it.
-- The two legacy groups carry the reach the old key scopes had, granted on the metastore.
INSERT INTO platform.principals (name, type, created_at) VALUES
    ('metastore_admins', 'group', now()),
    ('admin', 'user', now()),
    ('legacy_readers', 'group', now()),
    ('legacy_writers', 'group', now())
ON CONFLICT (name) DO NOTHING;
INSERT INTO platform.group_members (group_name, member) VALUES ('metastore_admins', 'admin')
ON CONFLICT DO NOTHING;
INSERT INTO platform.owners (securable_type, securable_name, owner) VALUES ('metastore', 'metastore', 'metastore_admins')
ON CONFLICT DO NOTHING;
INSERT INTO platform.grants (securable_type, securable_name, principal, privilege) VALUES
    ('metastore', 'metastore', 'legacy_readers', 'USE_CATALOG'),
    ('metastore', 'metastore', 'legacy_readers', 'USE_SCHEMA'),
    ('metastore', 'metastore', 'legacy_readers', 'SELECT'),
    ('metastore', 'metastore', 'legacy_writers', 'CREATE_CATALOG'),
    ('metastore', 'metastore', 'legacy_writers', 'ALL_PRIVILEGES'),
    ('metastore', 'metastore', 'legacy_writers', 'MANAGE')
ON CONFLICT DO NOTHING;

-- Every API key belongs to a principal. Each existing key becomes a service principal of its own
-- (named after the key id) in the group its scope maps to: read -> legacy_readers, write ->
-- legacy_writers, admin -> metastore_admins; the bootstrap key belongs to 'admin'.
ALTER TABLE platform.api_keys ADD COLUMN IF NOT EXISTS principal text REFERENCES platform.principals (name);
UPDATE platform.api_keys SET principal = 'admin' WHERE id = 'bootstrap-admin' AND principal IS NULL;
INSERT INTO platform.principals (name, type, created_at)
    SELECT id, 'service_principal', created_at FROM platform.api_keys WHERE principal IS NULL
ON CONFLICT (name) DO NOTHING;
INSERT INTO platform.group_members (group_name, member)
    SELECT CASE scope WHEN 'read' THEN 'legacy_readers' WHEN 'write' THEN 'legacy_writers' ELSE 'metastore_admins' END, id
      FROM platform.api_keys WHERE principal IS NULL
ON CONFLICT DO NOTHING;
UPDATE platform.api_keys SET principal = id WHERE principal IS NULL;
ALTER TABLE platform.api_keys ALTER COLUMN principal SET NOT NULL;
CREATE INDEX IF NOT EXISTS api_keys_principal ON platform.api_keys (principal);
