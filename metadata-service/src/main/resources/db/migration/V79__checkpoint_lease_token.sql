-- Each checkpoint claim gets a token: a replica whose checkpoint lease ran out and was taken over
-- does not mark the table's checkpoint failed (nor release the lease of the replica holding it now).
ALTER TABLE publish_state ADD COLUMN IF NOT EXISTS checkpoint_lease_token uuid;
