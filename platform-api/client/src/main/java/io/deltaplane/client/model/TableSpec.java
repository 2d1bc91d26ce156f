package io.deltaplane.client.model;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What {@code tables().create(…)} needs: a name (short names resolve against the session's catalog
 * and schema) and a Delta schema, built column by column or given as StructType JSON.
 */
public final class TableSpec {

    private final String name;
    private final List<Map<String, Object>> fields = new ArrayList<>();
    private final List<String> partitionColumns = new ArrayList<>();
    private final Map<String, String> properties = new LinkedHashMap<>();
    private Object schemaJson;
    private String location;
    private String comment;

    private TableSpec(String name) {
        this.name = requireNonNull(name, "name");
    }

    public static TableSpec named(String name) {
        return new TableSpec(name);
    }

    /** Adds a nullable column of a Delta primitive type ({@code long}, {@code string}, {@code double}, {@code date}, …). */
    public TableSpec column(String column, String deltaType) {
        return column(column, deltaType, true);
    }

    public TableSpec column(String column, String deltaType, boolean nullable) {
        Map<String, Object> field = new LinkedHashMap<>();
        field.put("name", requireNonNull(column, "column"));
        field.put("type", requireNonNull(deltaType, "deltaType"));
        field.put("nullable", nullable);
        field.put("metadata", Map.of());
        fields.add(field);
        return this;
    }

    /** The whole Delta schema as StructType JSON (a String or a Map/JsonNode); replaces {@link #column}s. */
    public TableSpec schema(Object structTypeJson) {
        this.schemaJson = structTypeJson;
        return this;
    }

    public TableSpec partitionedBy(String... columns) {
        partitionColumns.addAll(List.of(columns));
        return this;
    }

    public TableSpec property(String key, String value) {
        properties.put(key, value);
        return this;
    }

    public TableSpec location(String location) {
        this.location = location;
        return this;
    }

    public TableSpec comment(String comment) {
        this.comment = comment;
        return this;
    }

    @JsonIgnore
    public String name() {
        return name;
    }

    /** The request body for the given resolved catalog and schema. */
    public Map<String, Object> toRequest(String catalog, String schema, String tableName) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("catalog_name", catalog);
        body.put("schema_name", schema);
        body.put("name", tableName);
        body.put("schema", schemaJson != null ? schemaJson : Map.of("type", "struct", "fields", fields));
        body.put("partition_columns", partitionColumns);
        body.put("properties", properties);
        if (location != null) {
            body.put("location", location);
        }
        if (comment != null) {
            body.put("comment", comment);
        }
        return body;
    }

    @Override
    public String toString() {
        return "TableSpec[" + name + "]";
    }
}
