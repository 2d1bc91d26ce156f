package io.deltaplane.metadata.catalog;

import static java.util.Objects.requireNonNull;

import io.deltaplane.metadata.table.TableDropped;
import io.deltaplane.support.access.Securable;
import io.deltaplane.support.problem.ApiException;
import io.deltaplane.support.problem.ErrorCode;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Transactional;

/** Catalog and schema rows. Deleting cascades to schemas, tables and their logs (foreign keys). */
@Repository
public class CatalogRepository {

    /** A listing's visibility filter: the names the caller may see, or null for all of them. */
    static final String METASTORE_ID = "SELECT id FROM metastore";

    static final String ONLY = " AND (CAST(? AS text[]) IS NULL OR name = ANY(CAST(? AS text[])))";

    static final String INSERT_CATALOG =
            "INSERT INTO catalogs (name, comment, storage_root, created_at) VALUES (?, ?, ?, ?)";
    static final String LOCK_CATALOG = "SELECT name FROM catalogs WHERE name = ? FOR UPDATE";
    static final String CATALOG_HAS_SCHEMAS = "SELECT EXISTS (SELECT 1 FROM schemas WHERE catalog = ?)";
    static final String DELETE_CATALOG = "DELETE FROM catalogs WHERE name = ?";
    static final String INSERT_SCHEMA = "INSERT INTO schemas (catalog, name, comment, created_at) VALUES (?, ?, ?, ?)";
    static final String LOCK_SCHEMA = "SELECT name FROM schemas WHERE catalog = ? AND name = ? FOR UPDATE";
    static final String SCHEMA_HAS_TABLES = "SELECT EXISTS (SELECT 1 FROM tables WHERE catalog = ? AND schema = ?)"
            + " OR EXISTS (SELECT 1 FROM volumes WHERE catalog = ? AND schema = ?)"
            + " OR EXISTS (SELECT 1 FROM functions WHERE catalog = ? AND schema = ?)"
            + " OR EXISTS (SELECT 1 FROM registered_models WHERE catalog = ? AND schema = ?)";
    static final String DELETE_SCHEMA = "DELETE FROM schemas WHERE catalog = ? AND name = ?";
    static final String TABLES_IN_CATALOG =
            "SELECT id, catalog || '.' || schema || '.' || name, location, managed FROM tables" + " WHERE catalog = ?";
    static final String TABLES_IN_SCHEMA = TABLES_IN_CATALOG + " AND schema = ?";
    // The owner (platform.owners, the grants' table every service reads) comes with the row: a page
    // of entries is one statement, whatever door shows it.
    static final String CATALOG_ENTRY_COLUMNS = "SELECT c.id, c.name, c.comment, c.properties::text, c.storage_root,"
            + " c.created_at, c.updated_at, (SELECT o.owner FROM platform.owners o WHERE o.securable_type = 'catalog'"
            + " AND o.securable_name = c.name) FROM catalogs c";
    static final String SELECT_CATALOG_ENTRY = CATALOG_ENTRY_COLUMNS + " WHERE name = ?";
    static final String LIST_CATALOG_ENTRIES =
            CATALOG_ENTRY_COLUMNS + " WHERE name > ?" + ONLY + " ORDER BY name LIMIT ?";
    static final String UPDATE_CATALOG = "UPDATE catalogs SET comment = coalesce(?, comment),"
            + " properties = coalesce(CAST(? AS jsonb), properties), updated_at = ? WHERE name = ?";
    static final String SCHEMA_ENTRY_COLUMNS = "SELECT s.id, s.catalog, s.name, s.comment, s.properties::text,"
            + " s.created_at, s.updated_at, (SELECT o.owner FROM platform.owners o WHERE o.securable_type = 'schema'"
            + " AND o.securable_name = s.catalog || '.' || s.name) FROM schemas s";
    static final String SELECT_SCHEMA_ENTRY = SCHEMA_ENTRY_COLUMNS + " WHERE catalog = ? AND name = ?";
    static final String LIST_SCHEMA_ENTRIES =
            SCHEMA_ENTRY_COLUMNS + " WHERE catalog = ? AND name > ?" + ONLY + " ORDER BY name LIMIT ?";
    static final String UPDATE_SCHEMA = "UPDATE schemas SET comment = coalesce(?, comment),"
            + " properties = coalesce(CAST(? AS jsonb), properties), updated_at = ? WHERE catalog = ? AND name = ?";
    static final String SET_CATALOG_PROPERTIES = "UPDATE catalogs SET properties = CAST(? AS jsonb) WHERE name = ?";
    static final String SET_SCHEMA_PROPERTIES =
            "UPDATE schemas SET properties = CAST(? AS jsonb) WHERE catalog = ? AND name = ?";

    private final JdbcClient jdbc;
    private final Clock clock;
    private final ApplicationEventPublisher events;

    public CatalogRepository(JdbcClient jdbc, Clock clock, ApplicationEventPublisher events) {
        this.jdbc = requireNonNull(jdbc, "jdbc");
        this.clock = requireNonNull(clock, "clock");
        this.events = requireNonNull(events, "events");
    }

    /** Tables dropped with a forced catalog/schema delete get the same event as a table delete. */
    private void announceDropped(String sql, Object... params) {
        jdbc.sql(sql)
                .params(params)
                .query((rs, n) -> new TableDropped(
                        rs.getObject(1, UUID.class),
                        rs.getString(2),
                        rs.getString(3),
                        rs.getObject(4, Boolean.class),
                        false))
                .list()
                .forEach(events::publishEvent);
    }

    /** The installation's metastore id, made when the database was. */
    public UUID metastoreId() {
        return jdbc.sql(METASTORE_ID).query(UUID.class).single();
    }

    /** A new catalog with Unity Catalog's properties (free-form strings a client keeps on it). */
    @Transactional
    public void createCatalog(String name, String comment, String storageRoot, Map<String, String> properties) {
        Instant now = clock.instant();
        try {
            jdbc.sql(INSERT_CATALOG)
                    .params(name, comment, storageRoot, Timestamp.from(now))
                    .update();
        } catch (DuplicateKeyException e) {
            throw ApiException.conflict(ErrorCode.ALREADY_EXISTS, "Catalog " + name + " already exists");
        }
        if (!properties.isEmpty()) {
            jdbc.sql(SET_CATALOG_PROPERTIES)
                    .params(NamespaceEntries.json(properties), name)
                    .update();
        }
    }

    public CatalogEntry catalogEntry(String name) {
        return jdbc.sql(SELECT_CATALOG_ENTRY)
                .param(name)
                .query(NamespaceEntries::catalog)
                .optional()
                .orElseThrow(() ->
                        ApiException.notFound(ErrorCode.CATALOG_NOT_FOUND, "Catalog " + name + " does not exist"));
    }

    /** Whether a catalog has this name (no authorization: for the name rule of a rename). */
    public boolean catalogExists(String name) {
        return jdbc.sql(SELECT_CATALOG_ENTRY)
                .param(name)
                .query(NamespaceEntries::catalog)
                .optional()
                .isPresent();
    }

    /** Whether the catalog has a schema of this name (no authorization: for the name rule of a rename). */
    public boolean schemaExists(String catalog, String name) {
        return jdbc.sql(SELECT_SCHEMA_ENTRY)
                .params(catalog, name)
                .query(NamespaceEntries::schema)
                .optional()
                .isPresent();
    }

    public List<CatalogEntry> catalogEntries(String after, int limit, String[] only) {
        return jdbc.sql(LIST_CATALOG_ENTRIES)
                .params(after, only, only, limit)
                .query(NamespaceEntries::catalog)
                .list();
    }

    /** Changes a catalog's comment and/or replaces its properties (null: unchanged). */
    public CatalogEntry updateCatalog(String name, String comment, Map<String, String> properties) {
        int updated = jdbc.sql(UPDATE_CATALOG)
                .params(comment, NamespaceEntries.json(properties), Timestamp.from(clock.instant()), name)
                .update();
        if (updated == 0) {
            throw ApiException.notFound(ErrorCode.CATALOG_NOT_FOUND, "Catalog " + name + " does not exist");
        }
        return catalogEntry(name);
    }

    public SchemaEntry schemaEntry(String catalog, String name) {
        return jdbc.sql(SELECT_SCHEMA_ENTRY)
                .params(catalog, name)
                .query(NamespaceEntries::schema)
                .optional()
                .orElseThrow(() -> missingSchema(catalog, name));
    }

    /**
     * A schema that is not there, naming what is missing: its catalog when that is gone too (Unity
     * Catalog's server answers CATALOG_NOT_FOUND then), else the schema. Read on the failure path only.
     */
    public ApiException missingSchema(String catalog, String name) {
        return catalogExists(catalog)
                ? ApiException.notFound(
                        ErrorCode.SCHEMA_NOT_FOUND, "Schema " + catalog + "." + name + " does not exist")
                : ApiException.notFound(ErrorCode.CATALOG_NOT_FOUND, "Catalog " + catalog + " does not exist");
    }

    public List<SchemaEntry> schemaEntries(String catalog, String after, int limit, String[] only) {
        return jdbc.sql(LIST_SCHEMA_ENTRIES)
                .params(catalog, after, only, only, limit)
                .query(NamespaceEntries::schema)
                .list();
    }

    /** Changes a schema's comment and/or replaces its properties (null: unchanged). */
    public SchemaEntry updateSchema(String catalog, String name, String comment, Map<String, String> properties) {
        int updated = jdbc.sql(UPDATE_SCHEMA)
                .params(comment, NamespaceEntries.json(properties), Timestamp.from(clock.instant()), catalog, name)
                .update();
        if (updated == 0) {
            throw missingSchema(catalog, name);
        }
        return schemaEntry(catalog, name);
    }

    @Transactional
    public void deleteCatalog(String name, boolean force) {
        if (jdbc.sql(LOCK_CATALOG).param(name).query(String.class).optional().isEmpty()) {
            throw ApiException.notFound(ErrorCode.CATALOG_NOT_FOUND, "Catalog " + name + " does not exist");
        }
        if (!force
                && jdbc.sql(CATALOG_HAS_SCHEMAS)
                        .param(name)
                        .query(Boolean.class)
                        .single()) {
            throw ApiException.conflict(
                    ErrorCode.CATALOG_NOT_EMPTY,
                    "Catalog " + name + " is not empty; delete its schemas first or pass force=true");
        }
        announceDropped(TABLES_IN_CATALOG, name);
        events.publishEvent(new NamespaceDropped(Securable.catalog(name)));
        jdbc.sql(DELETE_CATALOG).param(name).update();
    }

    @Transactional
    public void createSchema(String catalog, String name, String comment, Map<String, String> properties) {
        catalogEntry(catalog);
        try {
            jdbc.sql(INSERT_SCHEMA)
                    .params(catalog, name, comment, Timestamp.from(clock.instant()))
                    .update();
        } catch (DuplicateKeyException e) {
            throw ApiException.conflict(ErrorCode.ALREADY_EXISTS, "Schema " + catalog + "." + name + " already exists");
        } catch (org.springframework.dao.DataIntegrityViolationException e) {
            // The catalog was deleted between the check and the insert.
            throw ApiException.notFound(ErrorCode.CATALOG_NOT_FOUND, "Catalog " + catalog + " does not exist");
        }
        if (!properties.isEmpty()) {
            jdbc.sql(SET_SCHEMA_PROPERTIES)
                    .params(NamespaceEntries.json(properties), catalog, name)
                    .update();
        }
    }

    @Transactional
    public void deleteSchema(String catalog, String name, boolean force) {
        if (jdbc.sql(LOCK_SCHEMA)
                .params(catalog, name)
                .query(String.class)
                .optional()
                .isEmpty()) {
            throw missingSchema(catalog, name);
        }
        if (!force
                && jdbc.sql(SCHEMA_HAS_TABLES)
                        .params(catalog, name, catalog, name, catalog, name, catalog, name)
                        .query(Boolean.class)
                        .single()) {
            throw ApiException.conflict(
                    ErrorCode.SCHEMA_NOT_EMPTY,
                    "Schema " + catalog + "." + name
                            + " is not empty; delete its tables, volumes, functions and models first or pass force=true");
        }
        announceDropped(TABLES_IN_SCHEMA, catalog, name);
        events.publishEvent(new NamespaceDropped(Securable.schema(catalog, name)));
        jdbc.sql(DELETE_SCHEMA).params(catalog, name).update();
    }
}
