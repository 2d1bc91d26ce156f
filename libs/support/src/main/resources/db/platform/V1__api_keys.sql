-- API keys shared by every service. Only the SHA-256 of a key is stored.
CREATE TABLE IF NOT EXISTS platform.api_keys (
    id          text        PRIMARY KEY,
    name        text        NOT NULL,
    key_prefix  text        NOT NULL,
    scope       text        NOT NULL CHECK (scope IN ('read', 'write', 'admin')),
    key_hash    bytea       NOT NULL UNIQUE,
    created_at  timestamptz NOT NULL,
    revoked_at  timestamptz
);
