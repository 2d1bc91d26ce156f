-- Responses of creating POSTs sent with an Idempotency-Key, so a retry gets the first answer.
-- scope = the API key id and the request path: keys of different callers never collide.
CREATE TABLE IF NOT EXISTS platform.idempotency_keys (
    scope          text        NOT NULL,
    idem_key       text        NOT NULL,
    request_hash   bytea       NOT NULL,
    status         integer,                -- null while the first request is still running
    content_type   text,
    location       text,
    body           bytea,
    created_at     timestamptz NOT NULL,
    PRIMARY KEY (scope, idem_key)
);
CREATE INDEX IF NOT EXISTS idempotency_keys_created_at ON platform.idempotency_keys (created_at);
