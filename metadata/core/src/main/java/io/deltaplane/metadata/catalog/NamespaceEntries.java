package io.deltaplane.metadata.catalog;

import io.deltaplane.support.problem.ApiException;
import io.deltaplane.support.problem.ErrorCode;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/** Rows of {@code catalogs} and {@code schemas} as entries, and their properties as JSON. */
final class NamespaceEntries {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final TypeReference<LinkedHashMap<String, String>> PROPERTIES = new TypeReference<>() {};

    private NamespaceEntries() {}

    static CatalogEntry catalog(ResultSet rs, int row) throws SQLException {
        return new CatalogEntry(
                rs.getObject(1, UUID.class),
                rs.getString(2),
                rs.getString(3),
                properties(rs.getString(4)),
                rs.getString(5),
                rs.getTimestamp(6).toInstant(),
                instant(rs.getTimestamp(7)),
                rs.getString(8));
    }

    static SchemaEntry schema(ResultSet rs, int row) throws SQLException {
        return new SchemaEntry(
                rs.getObject(1, UUID.class),
                rs.getString(2),
                rs.getString(3),
                rs.getString(4),
                properties(rs.getString(5)),
                rs.getTimestamp(6).toInstant(),
                instant(rs.getTimestamp(7)),
                rs.getString(8));
    }

    /** JSON for a properties column, or null (SQL: leave as is) for none. */
    static String json(Map<String, String> properties) {
        return properties == null ? null : JSON.writeValueAsString(properties);
    }

    private static Map<String, String> properties(String json) {
        return Map.copyOf(JSON.readValue(json, PROPERTIES));
    }

    private static Instant instant(Timestamp timestamp) {
        return timestamp == null ? null : timestamp.toInstant();
    }

    /** Whether {@code newName} names something other than {@code leaf}: the same name, in any case, is no rename. */
    static boolean renames(String leaf, String newName) {
        return newName != null && !newName.isEmpty() && !newName.equalsIgnoreCase(leaf);
    }

    /**
     * Catalogs and schemas keep their names (grants, lineage and engines name them): a request that
     * renames one is refused. The refusal comes last, after the checks Unity Catalog's server makes
     * of a rename and in its order, so the answer says what is wrong first: the new name malformed
     * (400 INVALID_NAME, checked by the caller), {@code current} missing (404, {@code exists}),
     * the new name taken (409 ALREADY_EXISTS, {@code taken}).
     */
    static void refuseRename(String kind, String current, String newName, Runnable exists, boolean taken) {
        exists.run();
        if (taken) {
            throw ApiException.conflict(ErrorCode.ALREADY_EXISTS, kind + " already exists: " + newName + ".");
        }
        throw ApiException.badRequest(
                ErrorCode.BAD_REQUEST,
                "Renaming is not supported: create " + newName + " and move the tables, or keep " + current + ".");
    }
}
