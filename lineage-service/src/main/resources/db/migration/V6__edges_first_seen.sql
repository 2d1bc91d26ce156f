-- Point-in-time lineage: an edge stands from the first time a run recorded it. Backfilled from what
-- was already recorded (the first read of the table by the job, the first snapshot the job wrote).
ALTER TABLE edges ADD COLUMN first_seen timestamptz;

UPDATE edges e SET first_seen = f.at
FROM (SELECT i.table_id AS src, r.job_id AS dst, min(i.read_at) AS at
      FROM run_inputs i JOIN runs r ON r.id = i.run_id GROUP BY i.table_id, r.job_id
      UNION ALL
      SELECT r.job_id, s.table_id, min(s.created_at)
      FROM snapshots s JOIN runs r ON r.id = s.run_id GROUP BY r.job_id, s.table_id) f
WHERE e.src = f.src AND e.dst = f.dst AND (e.first_seen IS NULL OR f.at < e.first_seen);

UPDATE edges SET first_seen = now() WHERE first_seen IS NULL;
ALTER TABLE edges ALTER COLUMN first_seen SET NOT NULL;
ALTER TABLE edges ALTER COLUMN first_seen SET DEFAULT now();
