package io.deltaplane.metadata.maintenance;

import io.delta.kernel.engine.Engine;
import io.delta.kernel.utils.DataFileStatus;
import io.deltaplane.metadata.ObjectStoresTestBase;
import io.deltaplane.metadata.deltalog.DeltaKernelEngines;
import io.deltaplane.metadata.publish.KernelReader;
import io.deltaplane.storage.LocalFileStorage;
import io.deltaplane.storage.Storage;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Tables partitioned by {@code day} with real Parquet files ({@link TableRows}) on the local disk,
 * S3 or Azure, for the maintenance tests.
 */
public abstract class MaintenanceTestBase extends ObjectStoresTestBase {

    /** A table, its location, the Kernel engine that reads and writes there, and its storage. */
    public record Lake(String table, String location, Engine engine, Storage storage) {}

    /** A new table partitioned by day on {@code storage}: local, s3 or azure. */
    protected Lake lake(String storage) {
        if (storage.equals("local")) {
            return local(newTable("day"));
        }
        String catalog = newCatalogWithSchemaS();
        String location = (storage.equals("s3") ? S3_ROOT : AZURE_ROOT) + "/" + catalog + "/t";
        ok(
                http.post(
                        "/api/v1/tables",
                        "{\"catalog_name\":\"" + catalog + "\",\"schema_name\":\"s\",\"name\":\"t\",\"schema\":"
                                + JSON.writeValueAsString(JSON.readTree(SCHEMA))
                                + ",\"partition_columns\":[\"day\"],\"location\":\"" + location + "\"}"),
                201);
        Storage store = storage.equals("s3") ? s3 : azure;
        return new Lake(catalog + ".s.t", location, DeltaKernelEngines.over(store), store);
    }

    /** An existing local table. */
    protected Lake local(String table) {
        String location = get("/api/v1/tables/" + table).get("location").asString();
        return new Lake(table, location, KernelReader.ENGINE, new LocalFileStorage());
    }

    /** Writes a Parquet file of {@code count} rows into the day's partition and commits it; its path. */
    protected String append(Lake lake, String day, long firstId, int count) {
        DataFileStatus file = TableRows.write(lake.engine(), lake.location() + "/day=" + day, firstId, count);
        String path =
                "day=" + day + "/" + file.getPath().substring(file.getPath().lastIndexOf('/') + 1);
        Map<String, Object> add = new LinkedHashMap<>();
        add.put("path", path);
        add.put("partitionValues", Map.of("day", day));
        add.put("size", file.getSize());
        add.put("modificationTime", file.getModificationTime());
        add.put("dataChange", true);
        add.put("stats", file.getStatistics().orElseThrow().serializeAsJson(TableRows.DATA));
        ok(commit(lake.table(), version(lake.table()), JSON.writeValueAsString(Map.of("add", add))), 201);
        return path;
    }
}
