-- A catalog's own storage root (Unity Catalog's managed location): its managed tables live under it
-- instead of the warehouse. Null for a catalog in the warehouse.
ALTER TABLE catalogs ADD COLUMN storage_root text;
