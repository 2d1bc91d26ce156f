package io.deltaplane.metadata.snapshot;

import static java.util.Objects.requireNonNull;

import io.deltaplane.metadata.delta.DeletionVectors;
import io.deltaplane.metadata.delta.TablePaths;
import io.deltaplane.metadata.names.TableName;
import io.deltaplane.metadata.snapshot.SignedFilesPage.DeletionVector;
import io.deltaplane.metadata.snapshot.SignedFilesPage.SignedFile;
import io.deltaplane.metadata.snapshot.SnapshotRepository.LiveFile;
import io.deltaplane.metadata.table.TableRepository;
import io.deltaplane.metadata.table.TableRow;
import io.deltaplane.storage.Storage;
import io.deltaplane.storage.Storages;
import io.deltaplane.support.access.AccessControl;
import io.deltaplane.support.access.Privilege;
import io.deltaplane.support.paging.PageTokens;
import io.deltaplane.support.problem.ApiException;
import io.deltaplane.support.problem.ErrorCode;
import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Service;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Credential vending for readers outside the platform, as Delta Sharing does it: each live file of
 * a snapshot with a URL that reads that one object (GET only) for a short while, signed with the
 * platform's own storage credentials, so a read-scope key holder (Spark, DuckDB, pandas through the
 * Python client) reads the data without ever holding those credentials. Only files inside the
 * table's location are signed; a table on the local file system has no such URLs (422). Served by
 * {@code /api/v1}'s {@code api.snapshot.SignedFilesController}.
 */
@Service
public class SignedFiles {

    private final AccessControl access;

    static final Duration DEFAULT_VALIDITY = Duration.ofMinutes(15);
    static final Duration MAX_VALIDITY = Duration.ofHours(1);

    private final TableRepository tables;
    private final SnapshotRepository snapshots;
    private final SnapshotVersions versions;
    private final Storages storages;
    private final JsonMapper json;
    private final Clock clock;

    SignedFiles(
            TableRepository tables,
            SnapshotRepository snapshots,
            SnapshotVersions versions,
            Storages storages,
            JsonMapper json,
            Clock clock,
            AccessControl access) {
        this.access = requireNonNull(access, "access");
        this.tables = requireNonNull(tables, "tables");
        this.snapshots = requireNonNull(snapshots, "snapshots");
        this.versions = requireNonNull(versions, "versions");
        this.storages = requireNonNull(storages, "storages");
        this.json = requireNonNull(json, "json");
        this.clock = requireNonNull(clock, "clock");
    }

    /** One page of the live files, ordered by path, each with a signed read URL. */
    public SignedFilesPage page(
            TableName name,
            Long version,
            String timestamp,
            Integer maxResults,
            String pageToken,
            Long validForSeconds) {
        Duration validFor = validity(validForSeconds);
        access.require(name.securable(), Privilege.SELECT);
        TableRow table = tables.require(name);
        Storage storage = storages.forLocation(table.location());
        int limit = PageTokens.limit(maxResults);
        FilesCursor cursor = FilesCursor.of(pageToken, version, () -> versions.resolve(table, version, timestamp));
        var expiresAt = clock.instant().plus(validFor);
        List<LiveFile> page =
                snapshots.files(table.id(), cursor.version(), table.currentVersion(), cursor.afterPath(), limit + 1);
        versions.requireRetained(table, cursor.version()); // pruned while it was read: refused, not half answered
        List<SignedFile> files = new ArrayList<>(Math.min(limit, page.size()));
        for (LiveFile file : page.subList(0, Math.min(limit, page.size()))) {
            files.add(signed(table, storage, file, validFor));
        }
        String next = page.size() > limit ? cursor.next(page.get(limit - 1).path()) : null;
        return new SignedFilesPage(cursor.version(), expiresAt, files, next);
    }

    private SignedFile signed(TableRow table, Storage storage, LiveFile file, Duration validFor) {
        JsonNode add = json.readTree(file.action());
        Map<String, String> partitionValues = new LinkedHashMap<>();
        add.path("partitionValues")
                .properties()
                .forEach(e -> partitionValues.put(
                        e.getKey(), e.getValue().isNull() ? null : e.getValue().asString()));
        String stats = add.hasNonNull("stats") ? add.get("stats").asString() : null;
        String url = TablePaths.objectPath(table.location(), storage, file.path())
                .map(path -> signedUrl(table, storage, path, validFor))
                .orElse(null);
        JsonNode dv = add.get("deletionVector");
        DeletionVector vector = null;
        String vectorUrl = null;
        if (dv != null && dv.isObject()) {
            vector = new DeletionVector(
                    dv.path("storageType").asString(),
                    dv.path("pathOrInlineDv").asString(),
                    dv.hasNonNull("offset") ? dv.get("offset").asInt() : null,
                    dv.path("sizeInBytes").asInt(),
                    dv.path("cardinality").asLong());
            vectorUrl = DeletionVectors.file(vector.storageType(), vector.pathOrInlineDv())
                    .flatMap(path -> TablePaths.objectPath(table.location(), storage, path))
                    .map(path -> signedUrl(table, storage, path, validFor))
                    .orElse(null);
        }
        return new SignedFile(file.path(), url, add.path("size").asLong(), partitionValues, stats, vector, vectorUrl);
    }

    private static String signedUrl(TableRow table, Storage storage, String path, Duration validFor) {
        try {
            return storage.signedReadUrl(path, validFor)
                    .map(URI::toString)
                    .orElseThrow(() -> new ApiException(
                            ErrorCode.UNSUPPORTED_LOCATION,
                            "Table " + table.fullName() + " lives at " + table.location()
                                    + ", whose storage has no signed URLs (the local file system); read its files"
                                    + " by path, or keep the table on object storage"));
        } catch (IOException e) {
            throw new ApiException(ErrorCode.SERVICE_UNAVAILABLE, "Signing read URLs failed: " + e.getMessage());
        }
    }

    private static Duration validity(Long seconds) {
        if (seconds == null) {
            return DEFAULT_VALIDITY;
        }
        if (seconds < 60 || seconds > MAX_VALIDITY.toSeconds()) {
            throw ApiException.badRequest(
                    ErrorCode.VALIDATION_FAILED,
                    "valid_for_seconds must be between 60 and " + MAX_VALIDITY.toSeconds());
        }
        return Duration.ofSeconds(seconds);
    }
}
