-- What a commit's data actions carried, kept with the commit (computed once, when it is stored) so a
-- table's daily volume is a sum over an index range rather than a parse of every commit's actions:
-- {files added, rows added, bytes added, files removed, bytes removed} of the adds and removes whose
-- dataChange is not false. Rows are the adds' stats numRecords, read from the stats text with a
-- pattern, so a file without (or with unreadable) stats adds none rather than failing the commit.
CREATE FUNCTION commit_volume(actions jsonb) RETURNS bigint[]
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT ARRAY[
    count(*) FILTER (WHERE e->'add' IS NOT NULL),
    coalesce(sum(substring(e->'add'->>'stats' FROM '"numRecords"\s*:\s*([0-9]{1,18})')::bigint), 0),
    coalesce(sum(CASE WHEN e->'add' IS NOT NULL AND jsonb_typeof(e->'add'->'size') = 'number'
                      THEN (e->'add'->>'size')::numeric END), 0)::bigint,
    count(*) FILTER (WHERE e->'remove' IS NOT NULL),
    coalesce(sum(CASE WHEN e->'remove' IS NOT NULL AND jsonb_typeof(e->'remove'->'size') = 'number'
                      THEN (e->'remove'->>'size')::numeric END), 0)::bigint]
  FROM jsonb_array_elements(CASE WHEN jsonb_typeof(actions) = 'array' THEN actions ELSE '[]'::jsonb END) e
  WHERE (e->'add' IS NOT NULL AND coalesce(e->'add'->>'dataChange', 'true') <> 'false')
     OR (e->'remove' IS NOT NULL AND coalesce(e->'remove'->>'dataChange', 'true') <> 'false')
$$;

ALTER TABLE commits ADD COLUMN volume bigint[] NOT NULL GENERATED ALWAYS AS (commit_volume(actions)) STORED;
