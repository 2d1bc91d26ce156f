package io.deltaplane.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import java.util.function.Function;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.TableProperties;
import org.apache.iceberg.data.GenericDeleteFilter;
import org.apache.iceberg.data.IdentityPartitionConverters;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.data.parquet.GenericParquetReaders;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.mapping.NameMapping;
import org.apache.iceberg.mapping.NameMappingParser;
import org.apache.iceberg.parquet.Parquet;
import org.apache.iceberg.rest.RESTCatalog;
import org.apache.iceberg.util.PartitionUtil;

/**
 * Iceberg's own Java client as the tests' reader: {@code RESTCatalog} pointed at the Iceberg door,
 * and rows read the way Iceberg engines read them — the files a snapshot's manifests plan, through
 * Iceberg's Parquet reader with the table's {@code schema.name-mapping.default} and its identity
 * partition values as constants, and the task's deletion vectors applied. ({@code IcebergGenerics} in 1.12.0 applies no name mapping, so it
 * would read files written without Iceberg's field ids by position; Spark's, Trino's and
 * PyIceberg's readers apply it.)
 */
public final class IcebergReader {

    /** Where the Iceberg REST catalog door is, on the gateway and on metadata-service. */
    public static final String ICEBERG = "/api/2.1/unity-catalog/iceberg";

    private IcebergReader() {}

    /** A catalog client for {@code warehouse} (a Deltaplane catalog) with a bearer key; the caller closes it. */
    public static RESTCatalog catalog(int port, String warehouse, String key) {
        return catalog("http://localhost:" + port, warehouse, key);
    }

    /**
     * A catalog client for {@code warehouse} at {@code baseUrl} (the gateway, or metadata-service)
     * with a bearer token (a key, or an OIDC token); the caller closes it.
     */
    public static RESTCatalog catalog(String baseUrl, String warehouse, String token) {
        RESTCatalog catalog = new RESTCatalog();
        catalog.setConf(new org.apache.hadoop.conf.Configuration());
        catalog.initialize(
                "deltaplane",
                Map.of(
                        "uri",
                        baseUrl + ICEBERG,
                        "warehouse",
                        warehouse,
                        "token",
                        token,
                        "io-impl",
                        "org.apache.iceberg.hadoop.HadoopFileIO"));
        return catalog;
    }

    /**
     * A catalog client for {@code warehouse} at {@code baseUrl} that authenticates as Iceberg's
     * client-credentials flow does: it exchanges {@code credential} ({@code [client id:]secret})
     * at {@code /v1/oauth/tokens} first; the caller closes it.
     */
    public static RESTCatalog catalogWithCredential(String baseUrl, String warehouse, String credential) {
        RESTCatalog catalog = new RESTCatalog();
        catalog.setConf(new org.apache.hadoop.conf.Configuration());
        catalog.initialize(
                "deltaplane",
                Map.of(
                        "uri",
                        baseUrl + ICEBERG,
                        "warehouse",
                        warehouse,
                        "credential",
                        credential,
                        "io-impl",
                        "org.apache.iceberg.hadoop.HadoopFileIO"));
        return catalog;
    }

    /** Delta version → Iceberg snapshot id, from the snapshots' summaries. */
    public static Map<Long, Long> snapshotsByVersion(Table table) {
        Map<Long, Long> byVersion = new HashMap<>();
        for (Snapshot snapshot : table.snapshots()) {
            byVersion.put(Long.parseLong(snapshot.summary().get("deltaplane.delta-version")), snapshot.snapshotId());
        }
        return byVersion;
    }

    /** Every row of the snapshot, its named columns joined by {@code |} ({@link #render}), sorted. */
    public static List<String> rows(Table table, long snapshotId, String... columns) {
        return rows(table, snapshotId, record -> {
            StringJoiner joined = new StringJoiner("|");
            for (String column : columns) {
                joined.add(render(record.getField(column)));
            }
            return joined.toString();
        });
    }

    /** Every row of the snapshot as {@code render} makes it, sorted. */
    public static List<String> rows(Table table, long snapshotId, Function<Record, String> render) {
        Schema schema = table.schemas().get(table.snapshot(snapshotId).schemaId());
        NameMapping mapping = NameMappingParser.fromJson(table.properties().get(TableProperties.DEFAULT_NAME_MAPPING));
        List<String> rows = new ArrayList<>();
        try (CloseableIterable<FileScanTask> tasks =
                table.newScan().useSnapshot(snapshotId).planFiles()) {
            for (FileScanTask task : tasks) {
                Map<Integer, ?> constants =
                        PartitionUtil.constantsMap(task, IdentityPartitionConverters::convertConstant);
                // the task's deletes (v3 deletion vectors) applied as Iceberg's readers apply them
                GenericDeleteFilter deletes = new GenericDeleteFilter(table.io(), task, schema, schema);
                Schema read = deletes.requiredSchema();
                try (CloseableIterable<Record> records = deletes.filter(
                        Parquet.read(table.io().newInputFile(task.file().location()))
                                .project(read)
                                .withNameMapping(mapping)
                                .createReaderFunc(file -> GenericParquetReaders.buildReader(read, file, constants))
                                .build())) {
                    for (Record record : records) {
                        rows.add(render.apply(record));
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        rows.sort(null);
        return rows;
    }

    /** A value as the Kernel-side renderers write it: decimals plain, null as {@code null}. */
    public static String render(Object value) {
        if (value == null) {
            return "null";
        }
        return value instanceof BigDecimal decimal ? decimal.toPlainString() : value.toString();
    }
}
