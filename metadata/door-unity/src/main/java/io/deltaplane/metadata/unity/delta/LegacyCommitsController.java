package io.deltaplane.metadata.unity.delta;

import static java.util.Objects.requireNonNull;

import io.deltaplane.metadata.managed.CatalogCommit;
import io.deltaplane.metadata.managed.CatalogTable;
import io.deltaplane.metadata.managed.StagedCommitRatifier;
import io.deltaplane.metadata.table.TableRow;
import io.deltaplane.support.access.AccessControl;
import io.deltaplane.support.access.Privilege;
import io.deltaplane.support.access.Securable;
import io.deltaplane.support.problem.ApiException;
import io.deltaplane.support.problem.ErrorCode;
import java.util.List;
import java.util.Map;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;

/**
 * The commit coordination API of delta-spark 4.0–4.2 ({@code UCTokenBasedRestClient}): the same
 * ratification as the Delta REST API's {@code add-commit}, in the older snake_case shape. Its
 * {@code GET} carries a JSON body, as those clients send it. Tables are named by their UC id and
 * location; loading needs SELECT or MODIFY, committing MODIFY.
 */
@RestController
public class LegacyCommitsController {

    static final String COMMITS = "/api/2.1/unity-catalog/delta/preview/commits";

    /** A ratified commit, as the legacy API names its fields. */
    public record DeltaPreviewCommit(
            long version, long timestamp, String fileName, long fileSize, long fileModificationTimestamp) {

        static DeltaPreviewCommit of(CatalogCommit c) {
            return new DeltaPreviewCommit(
                    c.version(), c.timestamp(), c.fileName(), c.fileSize(), c.fileModificationTimestamp());
        }
    }

    public record DeltaGetCommits(String tableId, String tableUri, Long startVersion, Long endVersion) {}

    public record DeltaGetCommitsResponse(List<DeltaPreviewCommit> commits, long latestTableVersion) {}

    /**
     * A commit to ratify ({@code commit_info}, absent when the client only reports what it
     * published) and the latest version the client published.
     */
    public record DeltaPreviewCommitRequest(
            String tableId,
            String tableUri,
            DeltaPreviewCommit commitInfo,
            Long latestBackfilledVersion,
            JsonNode metadata,
            JsonNode protocol,
            JsonNode uniform) {}

    private final DeltaRestService service;
    private final StagedCommitRatifier ratifier;
    private final AccessControl access;

    public LegacyCommitsController(DeltaRestService service, StagedCommitRatifier ratifier, AccessControl access) {
        this.service = requireNonNull(service, "service");
        this.ratifier = requireNonNull(ratifier, "ratifier");
        this.access = requireNonNull(access, "access");
    }

    @GetMapping(COMMITS)
    public DeltaGetCommitsResponse getCommits(@RequestBody DeltaGetCommits request) {
        TableRow table = table(request.tableId(), request.tableUri());
        access.requireAny(Securable.table(table.fullName()), Privilege.SELECT, Privilege.MODIFY);
        long from = request.startVersion() == null ? 0 : request.startVersion();
        long to = request.endVersion() == null ? Long.MAX_VALUE : request.endVersion();
        List<DeltaPreviewCommit> commits = service.unpublishedCommits(table).stream()
                .filter(c -> c.version() >= from && c.version() <= to)
                .map(DeltaPreviewCommit::of)
                .toList();
        return new DeltaGetCommitsResponse(commits, table.currentVersion());
    }

    /** Answers {@code {}}: the 4.0 client reads a JSON body and nothing in it. */
    @PostMapping(COMMITS)
    public Map<String, Object> commit(@RequestBody DeltaPreviewCommitRequest request) {
        // the table and its registration, read once: the ratifier carries them
        CatalogTable target = service.catalogTableByUnityId(request.tableId());
        TableRow table = target.table().requireLocation(request.tableUri(), request.tableId());
        access.require(Securable.table(table.fullName()), Privilege.MODIFY);
        if (request.commitInfo() != null) {
            DeltaPreviewCommit c = request.commitInfo();
            if (c.fileName() == null) {
                throw ApiException.badRequest(ErrorCode.VALIDATION_FAILED, "commit_info.file_name is required");
            }
            table = ratifier.ratify(
                            target,
                            new CatalogCommit(
                                    c.version(),
                                    c.timestamp(),
                                    c.fileName(),
                                    c.fileSize(),
                                    c.fileModificationTimestamp()))
                    .table()
                    .table();
        }
        // against the table as the commit left it (nothing to check when the client reports none)
        DeltaTableUpdates.checkBackfilled(table, request.latestBackfilledVersion());
        return Map.of();
    }

    /** The table with this UC id; its location must be the one the client names (compared normalised). */
    private TableRow table(String tableId, String tableUri) {
        return service.tableByUnityId(tableId).requireLocation(tableUri, tableId);
    }
}
