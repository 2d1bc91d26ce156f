package io.deltaplane.metadata.unity;

import io.deltaplane.metadata.unity.UnityColumns.ColumnInfo;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** A table as Unity Catalog's API shows it ({@code TableInfo}). */
public record UnityTableInfo(
        String name,
        String catalogName,
        String schemaName,
        String tableType,
        String dataSourceFormat,
        List<ColumnInfo> columns,
        String storageLocation,
        String comment,
        Map<String, String> properties,
        String owner,
        Long createdAt,
        Long updatedAt,
        UUID tableId,
        String viewDefinition,
        DependencyList viewDependencies) {

    /** A table with none of a view's fields. */
    UnityTableInfo(
            String name,
            String catalogName,
            String schemaName,
            String tableType,
            String dataSourceFormat,
            List<ColumnInfo> columns,
            String storageLocation,
            String comment,
            Map<String, String> properties,
            String owner,
            Long createdAt,
            Long updatedAt,
            UUID tableId) {
        this(
                name,
                catalogName,
                schemaName,
                tableType,
                dataSourceFormat,
                columns,
                storageLocation,
                comment,
                properties,
                owner,
                createdAt,
                updatedAt,
                tableId,
                null,
                null);
    }

    /** UC's {@code DependencyList}: what a view reads. */
    public record DependencyList(List<Dependency> dependencies) {}

    /** One of a table or a function. */
    public record Dependency(TableDependency table, FunctionDependency function) {}

    public record TableDependency(String tableFullName) {}

    public record FunctionDependency(String functionFullName) {}
}
