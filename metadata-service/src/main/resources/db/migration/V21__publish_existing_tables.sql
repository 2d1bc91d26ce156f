-- Tables committed before publishing was deployed: queue every version they have, so the
-- publisher writes their _delta_log like any other (files already there with the same content
-- count as published).
INSERT INTO publish_state (table_id, full_name, location)
SELECT id, full_name, location FROM tables
ON CONFLICT (table_id) DO NOTHING;

INSERT INTO publish_queue (table_id, version, committed_at)
SELECT table_id, version, committed_at FROM commits
ON CONFLICT DO NOTHING;
