-- The key every service signs page tokens with (one row; made by the first service that starts),
-- so a token from one replica is accepted by another and a forged one by none.
CREATE TABLE IF NOT EXISTS platform.page_token_key (
    id   smallint PRIMARY KEY CHECK (id = 1),
    key  bytea    NOT NULL CHECK (length(key) = 32)
);
