package io.deltaplane.client.model;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.deltaplane.client.generated.metadata.model.CreateTableRequest;
import io.deltaplane.client.generated.metadata.model.DeltaStructType;
import io.deltaplane.client.internal.Json;
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

    public String name() {
        return name;
    }

    /** The generated request of {@code POST /api/v1/tables} for the resolved catalog, schema and name. */
    public CreateTableRequest toRequest(String catalog, String schema, String tableName) {
        return new CreateTableRequest()
                .catalogName(catalog)
                .schemaName(schema)
                .name(tableName)
                .schema(structType())
                .partitionColumns(new ArrayList<>(partitionColumns))
                .properties(new LinkedHashMap<>(properties))
                .location(location)
                .comment(comment);
    }

    /** The schema as the generated model: the JSON given to {@link #schema}, or the columns. */
    private DeltaStructType structType() {
        Object json = schemaJson != null ? schemaJson : Map.of("type", "struct", "fields", List.copyOf(fields));
        try {
            Object tree = json instanceof String text ? Json.mapper().readTree(text) : json;
            return Json.mapper().convertValue(tree, DeltaStructType.class);
        } catch (JsonProcessingException | IllegalArgumentException e) {
            throw new IllegalArgumentException("Not a Delta StructType: " + e.getMessage(), e);
        }
    }

    @Override
    public String toString() {
        return "TableSpec[" + name + "]";
    }
}
