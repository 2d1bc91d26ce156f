-- The upstream cause: an incident is its root table's; the late tables downstream of it are listed
-- as affected (not incidents of their own), each with the lineage path from the root.
ALTER TABLE health_incidents ADD COLUMN cause text;
ALTER TABLE health_incidents ADD COLUMN affected text[] NOT NULL DEFAULT '{}';
