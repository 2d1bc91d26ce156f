-- An in-progress key is held by one request of one process under a token, its lease renewed while
-- the request runs; once the lease has run out (the process died), a retry takes the key over with
-- a new token. A commit made under a key records, in its own statement, where it landed (landed:
-- {"<table>": {"version": v, "committed_at": t}}), so the retry that takes the key over is answered
-- from it rather than committing again. Rows from before have no token and no lease: taken over at once.
ALTER TABLE platform.idempotency_keys
    ADD COLUMN IF NOT EXISTS token uuid,
    ADD COLUMN IF NOT EXISTS lease_until timestamptz,
    ADD COLUMN IF NOT EXISTS landed jsonb;
CREATE UNIQUE INDEX IF NOT EXISTS idempotency_keys_token ON platform.idempotency_keys (token);
