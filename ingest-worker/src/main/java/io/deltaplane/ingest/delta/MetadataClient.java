package io.deltaplane.ingest.delta;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.deltaplane.client.Deltaplane;
import io.deltaplane.client.DeltaplaneException;
import io.deltaplane.client.GeneratedApis;
import io.deltaplane.client.generated.metadata.api.TablesApi;
import io.deltaplane.client.generated.metadata.model.CommitRequest;
import io.deltaplane.client.generated.metadata.model.CreateTableRequest;
import io.deltaplane.client.generated.metadata.model.DeltaStructType;
import io.deltaplane.client.generated.metadata.model.FilesPage;
import io.deltaplane.client.generated.metadata.model.OptimizeRequest;
import io.deltaplane.client.generated.metadata.model.OptimizeResult;
import io.deltaplane.client.generated.metadata.model.SnapshotResponse;
import io.deltaplane.client.generated.metadata.model.TableResponse;
import io.deltaplane.ingest.config.ServiceClients;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Consumer;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The calls the worker makes to metadata-service for a Delta target: look a table up, create it, read
 * its snapshot (version and txn app versions), list its live files, commit, compact (OPTIMIZE).
 * Made with the Java client generated from the committed contract ({@code
 * platform-api/openapi/metadata.json}), with the worker's service key, like any other client; what
 * it answers is kept to what the worker uses.
 *
 * <p>Errors: a 409 VERSION_CONFLICT is a {@link VersionConflict}; any other answer the request
 * caused (4xx) is a {@link Rejected}; an unreachable service or a 5xx is an {@link IOException},
 * which the caller may retry because every call here is a read, a commit that the txn check makes
 * safe to repeat, or an OPTIMIZE, which changes no data. Nothing is retried in here.
 */
public final class MetadataClient implements AutoCloseable {

    /** Live files asked for per page: the contract's most. */
    private static final int FILES_PAGE = 1000;

    private final Deltaplane client;
    private final TablesApi tables;
    private final ObjectMapper contract;
    private final JsonMapper json;

    /**
     * @param apiKey the worker's service key; blank: no calls can be made (the worker refuses Delta
     *     targets without one, {@code DeltaSinks}), and each says so
     */
    public MetadataClient(URI baseUrl, String apiKey, Duration timeout, JsonMapper json) {
        this.json = requireNonNull(json, "json");
        requireNonNull(baseUrl, "baseUrl");
        requireNonNull(timeout, "timeout");
        if (requireNonNull(apiKey, "apiKey").isBlank()) {
            this.client = null;
            this.tables = null;
            this.contract = null;
            return;
        }
        this.client = ServiceClients.open(baseUrl, apiKey, timeout);
        this.tables = new TablesApi(client.generated().metadata());
        this.contract = client.generated().metadata().getObjectMapper();
    }

    /** A table as the metadata service describes it. */
    public record Table(
            String fullName, String location, long version, JsonNode schema, List<String> partitionColumns) {}

    /** The version a reader sees and, per txn appId, the latest txn version at it. */
    public record Snapshot(long version, Map<String, Long> appVersions) {}

    /**
     * What one OPTIMIZE did: the version it committed (empty when no partition had two files to
     * compact), the version it read, and the files it removed and added.
     */
    public record Optimized(OptionalLong version, long readVersion, int filesRemoved, int filesAdded) {}

    /** The table moved past the version a commit expected. */
    public static final class VersionConflict extends Exception {
        public VersionConflict(String message) {
            super(message);
        }
    }

    /** The service refused the request itself (4xx other than a version conflict). */
    public static final class Rejected extends RuntimeException {
        private final int status;

        public Rejected(int status, String message) {
            super(message);
            this.status = status;
        }

        public int status() {
            return status;
        }
    }

    public Optional<Table> table(String fullName) throws IOException {
        try {
            return Optional.of(table(call(() -> tables.getTablesByFullName(fullName))));
        } catch (Rejected e) {
            if (e.status() == 404) {
                return Optional.empty();
            }
            throw e;
        }
    }

    /** Creates the table (no explicit location: the service places it under its warehouse). */
    public Table createTable(String fullName, String schema, List<String> partitionColumns, String comment)
            throws IOException {
        requireKey();
        String[] parts = fullName.split("\\.", -1);
        if (parts.length != 3) {
            throw new IllegalArgumentException("a table's full name is catalog.schema.table, got " + fullName);
        }
        CreateTableRequest request = new CreateTableRequest()
                .catalogName(parts[0])
                .schemaName(parts[1])
                .name(parts[2])
                .schema(contract.readValue(schema, DeltaStructType.class))
                .partitionColumns(List.copyOf(partitionColumns))
                .comment(comment);
        return table(call(() -> tables.postTables(request)));
    }

    public Snapshot snapshot(String fullName) throws IOException {
        SnapshotResponse snapshot = call(() -> tables.getTablesByFullNameSnapshot(fullName, null, null));
        Map<String, Long> apps = snapshot.getAppVersions() == null ? Map.of() : snapshot.getAppVersions();
        return new Snapshot(snapshot.getVersion(), Map.copyOf(apps));
    }

    /** Hands the live files' add actions at {@code version} to {@code each}, page after page. */
    public void files(String fullName, long version, Consumer<JsonNode> each) throws IOException {
        String token = null;
        do {
            String pageToken = token;
            FilesPage page =
                    call(() -> tables.getTablesByFullNameSnapshotFiles(fullName, version, null, FILES_PAGE, pageToken));
            for (Map<String, Object> add : page.getFiles()) {
                each.accept(json.valueToTree(add));
            }
            token = page.getNextPageToken();
        } while (token != null);
    }

    /** Commits {@code actions} (Delta action objects) as version {@code expectedVersion + 1}. */
    public long commit(String fullName, long expectedVersion, List<JsonNode> actions, String operation)
            throws IOException, VersionConflict {
        return send(fullName, new CommitRequest().expectedVersion(expectedVersion), actions, operation);
    }

    /**
     * Appends {@code actions} (adds and txns only) at the table's next version, which the service
     * picks: other writers' appends never conflict with it. A version after {@code readVersion}
     * that recorded a txn of one of these applications, or changed the metaData or protocol, is a
     * {@link VersionConflict}. Returns the version it landed as.
     */
    public long append(String fullName, long readVersion, List<JsonNode> actions, String operation)
            throws IOException, VersionConflict {
        return send(fullName, new CommitRequest().readVersion(readVersion), actions, operation);
    }

    private long send(String fullName, CommitRequest request, List<JsonNode> actions, String operation)
            throws IOException, VersionConflict {
        requireKey();
        List<Object> wire = new ArrayList<>(actions.size());
        for (JsonNode action : actions) {
            wire.add(contract.readValue(json.writeValueAsBytes(action), Map.class));
        }
        request.operation(operation).actions(wire);
        try {
            return client.generated()
                    .call(() -> tables.postTablesByFullNameCommits(fullName, request))
                    .getVersion();
        } catch (DeltaplaneException e) {
            if (e.status() == 409 && "VERSION_CONFLICT".equals(e.errorCode())) {
                throw new VersionConflict(e.getMessage());
            }
            throw failure(e);
        }
    }

    /**
     * Asks the service to compact the table: its OPTIMIZE rewrites each partition's files smaller
     * than {@code targetFileSizeBytes} into files of about that size, as one {@code dataChange:
     * false} version. A 409 CONCURRENT_MODIFICATION (concurrent commits kept removing the files it
     * compacts) or a 422 DATA_FILE_MISSING is a {@link Rejected}; nothing was committed.
     */
    public Optimized optimize(String fullName, long targetFileSizeBytes) throws IOException {
        OptimizeResult result = call(() -> tables.postTablesByFullNameOptimize(
                fullName, new OptimizeRequest().targetFileSizeBytes(targetFileSizeBytes)));
        return new Optimized(
                result.getVersion() == null ? OptionalLong.empty() : OptionalLong.of(result.getVersion()),
                result.getReadVersion() == null ? 0 : result.getReadVersion(),
                result.getFilesRemoved() == null ? 0 : result.getFilesRemoved(),
                result.getFilesAdded() == null ? 0 : result.getFilesAdded());
    }

    @Override
    public void close() {
        if (client != null) {
            client.close();
        }
    }

    private void requireKey() {
        if (client == null) {
            throw new IllegalStateException(
                    "The worker has no service API key (DELTAPLANE_SERVICE_API_KEY): it cannot call metadata-service");
        }
    }

    private Table table(TableResponse table) {
        return new Table(
                table.getFullName(),
                table.getLocation(),
                table.getVersion(),
                json.valueToTree(table.getSchema()),
                table.getPartitionColumns() == null ? List.of() : List.copyOf(table.getPartitionColumns()));
    }

    private <T> T call(GeneratedApis.GeneratedCall<T> call) throws IOException {
        requireKey();
        try {
            return client.generated().call(call);
        } catch (DeltaplaneException e) {
            throw failure(e);
        }
    }

    /** A 4xx the request caused is a {@link Rejected}; no answer, or a 5xx, is an {@link IOException}. */
    private static IOException failure(DeltaplaneException e) {
        int status = e.status();
        if (status >= 400 && status < 500) {
            throw new Rejected(status, "metadata service answered " + status + ": " + e.getMessage());
        }
        return new IOException(
                status == 0
                        ? "metadata service did not answer: " + e.getMessage()
                        : "metadata service answered " + status + ": " + e.getMessage(),
                e);
    }
}
