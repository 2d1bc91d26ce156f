-- Who did what: one row per mutating request, credential or signed-URL issue, grant change and
-- denied request, written by the app that handled it (io.deltaplane.support.audit.AuditLog, the
-- table's one writer). Rows are inserted without a chain position; the chainer (one at a time,
-- by advisory lock) gives each the next seq and hash = sha256(prev_hash || the row's content), so
-- a changed or deleted row breaks the chain from there on. audit_anchor is where the retained
-- chain starts (moved forward only by the retention sweep) and where it ends.
CREATE TABLE IF NOT EXISTS platform.audit_events (
    id              bigserial   PRIMARY KEY,
    at              timestamptz NOT NULL,
    principal       text,
    authentication  text        NOT NULL,
    source_address  text        NOT NULL,
    service         text        NOT NULL,
    action          text        NOT NULL,
    path            text        NOT NULL,
    securable_type  text,
    securable_name  text,
    request_id      text,
    status          integer     NOT NULL,
    outcome         text        NOT NULL CHECK (outcome IN ('allowed', 'denied', 'failed')),
    seq             bigint      UNIQUE,
    hash            bytea
);
CREATE INDEX IF NOT EXISTS audit_events_unchained ON platform.audit_events (id) WHERE seq IS NULL;
CREATE INDEX IF NOT EXISTS audit_events_at ON platform.audit_events (at);
CREATE INDEX IF NOT EXISTS audit_events_principal ON platform.audit_events (principal, at);
CREATE INDEX IF NOT EXISTS audit_events_securable ON platform.audit_events (securable_name, at);

CREATE TABLE IF NOT EXISTS platform.audit_anchor (
    one         boolean PRIMARY KEY DEFAULT true CHECK (one),
    next_seq    bigint  NOT NULL,   -- the first retained row's seq
    prev_hash   bytea   NOT NULL,   -- the hash it chains to
    head_seq    bigint  NOT NULL,   -- the last chained row (so dropping the newest rows is seen too)
    head_hash   bytea   NOT NULL
);
INSERT INTO platform.audit_anchor (one, next_seq, prev_hash, head_seq, head_hash)
VALUES (true, 1, '\x', 0, '\x') ON CONFLICT DO NOTHING;
