-- A publisher (or the reconciler) owns a table's publishing by a lease on its publish_state row
-- instead of holding the row lock: the claim is one short statement, and no transaction or pooled
-- connection is held while it writes the table's _delta_log to storage (20-50 ms a put on an object
-- store). The token is the owner's: progress is recorded only while it still matches, so a worker
-- whose lease ran out (a crash, a stall) and was taken over records nothing. A lease past its time
-- lets any worker take the table.
ALTER TABLE publish_state
    ADD COLUMN publish_lease_until timestamptz,
    ADD COLUMN publish_lease_token uuid;
