-- A reconcile called through the API waits for the table's publish lease, polling for it. On a
-- table committed to without pause, a publisher round leased the table again the moment the
-- previous one let it go, before the reconciler's next poll, so the reconcile could wait out its
-- whole deadline and answer 503. While it waits it now sets this column to that deadline: publisher
-- rounds (and the periodic reconcile) leave the table alone, so the waiting reconciler leases it at
-- the current holder's release, and its claim clears the column. A deadline, not a flag: a request
-- whose reconciler died stops counting when it passes, and never keeps the table unpublished.
ALTER TABLE publish_state ADD COLUMN reconcile_requested_until timestamptz;
