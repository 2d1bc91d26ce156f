-- The background passes a service runs over the whole platform (the reconcile of every table's log,
-- the data-health pass, the run sweeper): one replica claims each pass per interval, so N replicas
-- do the work of one. started_at: when the last pass started (on any replica); owner, lease_until:
-- the replica running it now and until when (a replica that dies mid-pass leaves a lease that
-- lapses). Written only by io.deltaplane.support.loop.ClusterPasses.
CREATE TABLE IF NOT EXISTS platform.background_passes (
    name        text PRIMARY KEY,
    started_at  timestamptz NOT NULL,
    owner       uuid NOT NULL,
    lease_until timestamptz
);
