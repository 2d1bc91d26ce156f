package io.deltaplane.ingest.delta;

import static java.util.Objects.requireNonNull;

import io.deltaplane.ingest.mapping.MappingSpec;
import io.deltaplane.storage.StoragePaths;
import io.deltaplane.support.problem.ApiException;
import io.deltaplane.support.problem.ErrorCode;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Where the latest rows of a Delta target are: the newest live files of its current version (by
 * modification time), enough of them to hold the rows asked for, as a DuckDB {@code read_parquet}
 * over them with the partition values taken from their directories. Reads what any Delta reader
 * would read at that version; nothing is cached.
 */
@Component
public class DeltaPreview {

    private static final int MAX_FILES = 32;

    private final MetadataClient metadata;
    private final JsonMapper json;

    public DeltaPreview(MetadataClient metadata, JsonMapper json) {
        this.metadata = requireNonNull(metadata, "metadata");
        this.json = requireNonNull(json, "json");
    }

    private record File(String path, long modified, long rows) {}

    /** A DuckDB table expression over the newest files, or empty when the table has no rows yet. */
    public Optional<String> newestRows(MappingSpec mapping, int rows) {
        try {
            Optional<MetadataClient.Table> table =
                    metadata.table(mapping.target().table());
            if (table.isEmpty()) {
                return Optional.empty();
            }
            String location = table.get().location();
            if (!StoragePaths.isLocal(location)) {
                throw new ApiException(
                        ErrorCode.UNSUPPORTED_LOCATION,
                        "Previewing rows reads local table locations only; "
                                + mapping.target().table() + " is at " + location + ".");
            }
            List<File> files = new ArrayList<>();
            metadata.files(
                    table.get().fullName(),
                    table.get().version(),
                    add -> files.add(new File(
                            add.path("path").asString(),
                            add.path("modificationTime").asLong(),
                            numRecords(add.path("stats").asString("")))));
            files.sort(Comparator.comparingLong(File::modified).reversed());
            Path root = StoragePaths.toPath(location);
            StringBuilder list = new StringBuilder();
            long covered = 0;
            int listed = 0;
            for (File f : files) {
                if (covered >= rows || listed >= MAX_FILES) {
                    break;
                }
                listed++;
                Path file = root.resolve(URLDecoder.decode(f.path().replace("+", "%2B"), StandardCharsets.UTF_8));
                list.append(list.isEmpty() ? "" : ", ")
                        .append('\'')
                        .append(file.toString().replace("'", "''"))
                        .append('\'');
                covered += f.rows();
            }
            if (list.isEmpty()) {
                return Optional.empty();
            }
            return Optional.of("read_parquet([" + list + "], hive_partitioning = true)");
        } catch (IOException e) {
            throw new ApiException(
                    ErrorCode.SERVICE_UNAVAILABLE,
                    "metadata-service could not be asked for "
                            + mapping.target().table() + ".");
        }
    }

    private long numRecords(String stats) {
        if (stats.isEmpty()) {
            return 0;
        }
        JsonNode node = json.readTree(stats);
        return node.path("numRecords").asLong(0);
    }
}
