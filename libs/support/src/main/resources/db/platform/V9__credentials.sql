-- Storage credentials are securables too (UC's credential): grants and owners name them.
ALTER TABLE platform.grants DROP CONSTRAINT IF EXISTS grants_securable_type_check;
ALTER TABLE platform.grants ADD CONSTRAINT grants_securable_type_check
    CHECK (securable_type IN ('metastore', 'catalog', 'schema', 'table', 'external_location', 'volume', 'function',
                              'credential'));
ALTER TABLE platform.owners DROP CONSTRAINT IF EXISTS owners_securable_type_check;
ALTER TABLE platform.owners ADD CONSTRAINT owners_securable_type_check
    CHECK (securable_type IN ('metastore', 'catalog', 'schema', 'table', 'external_location', 'volume', 'function',
                              'credential'));
