-- Whether the platform chose the table's location (a MANAGED table, its directory the platform's
-- to delete and to vend credentials for) or its creator named it (EXTERNAL). A managed table lives
-- at <root>/<schema>/<table> when that directory is free, else at <root>/<schema>/<table>-<id>, so a
-- dropped table's kept directory is never a new table's. NULL: a table made before this column,
-- managed when its location is <root>/<schema>/<table>.
ALTER TABLE tables ADD COLUMN managed boolean;

