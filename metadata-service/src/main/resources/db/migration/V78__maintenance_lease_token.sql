-- Each maintenance claim gets a token: what a round records on the table (results, checked
-- version, failure) and its lease renewals count only while the token is still the table's, so a
-- replica whose lease ran out and was taken over writes nothing over the replica that holds it now.
ALTER TABLE maintenance_state ADD COLUMN IF NOT EXISTS lease_token uuid;
