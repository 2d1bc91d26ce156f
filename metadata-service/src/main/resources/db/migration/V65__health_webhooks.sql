-- Webhook subscriptions to health incidents (written by health.WebhookSubscriptions). Secrets are
-- never stored: a URL that is itself a secret (Slack's, Teams') and the signing key are references
-- (an environment variable DELTAPLANE_SECRET_*) read when a delivery is sent.
CREATE TABLE health_webhooks (
    id              uuid PRIMARY KEY,
    name            text NOT NULL UNIQUE,
    owner           text NOT NULL,           -- receives incidents of the tables it may SELECT
    url             text,                    -- a plain URL, or
    url_secret      text,                    -- a reference to one
    signing_secret  text,                    -- a reference to the HMAC key; null: unsigned
    format          text NOT NULL,           -- json, slack
    catalog         text,                    -- only this catalog's tables; null: all
    created_at      timestamptz NOT NULL,
    CHECK ((url IS NULL) <> (url_secret IS NULL))
);

-- The outbox of deliveries: one row per incident event and webhook, inserted with the incident's
-- change (health.DeliveryOutbox), claimed by the sender with a lease, deleted once the receiver
-- answered 2xx; retried with back-off until then, so a receiver that is down gets it once back.
CREATE TABLE health_deliveries (
    id               uuid PRIMARY KEY,
    webhook_id       uuid NOT NULL REFERENCES health_webhooks (id) ON DELETE CASCADE,
    incident_id      uuid NOT NULL REFERENCES health_incidents (id) ON DELETE CASCADE,
    event            text NOT NULL,          -- incident.opened, incident.resolved
    payload          jsonb NOT NULL,         -- the incident as it was at the event
    attempts         int NOT NULL DEFAULT 0,
    next_attempt_at  timestamptz NOT NULL,
    last_error       text,
    created_at       timestamptz NOT NULL,
    UNIQUE (webhook_id, incident_id, event)
);
CREATE INDEX health_deliveries_due ON health_deliveries (next_attempt_at);
