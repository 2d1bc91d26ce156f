package io.deltaplane.metadata.unity.delta;

import static java.util.Objects.requireNonNull;

import io.deltaplane.metadata.commit.StagedCommits;
import io.deltaplane.metadata.deltalog.DeltaLogNames;
import io.deltaplane.metadata.publish.CommitRows;
import io.deltaplane.metadata.publish.CommitRows.CommitRow;
import io.deltaplane.metadata.publish.PublishState;
import io.deltaplane.metadata.publish.PublishStates;
import io.deltaplane.metadata.table.TableRow;
import io.deltaplane.metadata.unity.delta.DeltaRestModels.DeltaCommit;
import io.deltaplane.storage.Storage;
import io.deltaplane.storage.Storages;
import io.deltaplane.support.problem.ApiException;
import io.deltaplane.support.problem.ErrorCode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.Optional;
import java.util.OptionalLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Staged commit files: reading one for a version, recording which file a version came from
 * ({@code catalog_commits}), and publishing {@code <version>.json} as a copy of it. Used by the
 * Delta REST API's commits and by multi-table transactions ({@code POST /api/v1/transactions}).
 */
@Component
public class StagedCommitFiles implements StagedCommits {

    private static final Logger log = LoggerFactory.getLogger(StagedCommitFiles.class);

    private final Storages storages;
    private final CatalogManagedTables managed;
    private final PublishStates publishStates;
    private final CommitRows commitRows;

    public StagedCommitFiles(
            Storages storages, CatalogManagedTables managed, PublishStates publishStates, CommitRows commitRows) {
        this.storages = requireNonNull(storages, "storages");
        this.managed = requireNonNull(managed, "managed");
        this.publishStates = requireNonNull(publishStates, "publishStates");
        this.commitRows = requireNonNull(commitRows, "commitRows");
    }

    @Override
    public Staged read(TableRow table, long version, String fileName) {
        if (managed.byTable(table.id()).isEmpty()) {
            throw invalid(table.fullName() + " is not catalog-managed: commit actions through /api/v1, or make it"
                    + " catalog-managed first (POST /api/v1/tables/" + table.fullName() + "/catalog-managed)");
        }
        OptionalLong named = fileName == null ? OptionalLong.empty() : DeltaLogNames.stagedCommitVersion(fileName);
        if (named.isEmpty() || named.getAsLong() != version) {
            throw invalid("a staged commit for version " + version + " is named <20-digit version>.<uuid>.json"
                    + " (a bare name under _delta_log/_staged_commits/), not " + fileName);
        }
        byte[] content;
        try {
            Storage storage = storages.forLocation(table.location());
            content = storage.read(storage.resolve(table.location(), DeltaLogNames.stagedCommit(fileName)))
                    .orElseThrow(() -> invalid("staged commit " + fileName + " is not in _delta_log/_staged_commits"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        var actions = DeltaRestService.actions(content);
        long ict = DeltaRestService.inCommitTimestamp(actions)
                .orElseThrow(() -> invalid("a catalog-managed commit needs commitInfo.inCommitTimestamp"));
        return new Staged(fileName, actions, ict, content.length);
    }

    /** A staged commit named in a transaction: its in-commit timestamp stands in for the file's time. */
    @Override
    public void record(TableRow table, long version, Staged staged) {
        managed.recordCommit(
                table.id(),
                new DeltaCommit(
                        version,
                        staged.inCommitTimestamp(),
                        staged.fileName(),
                        staged.size(),
                        staged.inCommitTimestamp()));
    }

    /**
     * Writes {@code <v>.json} for every version up to {@code version} not yet published, in order.
     * A store that fails here is not the engine's problem: the commit is ratified, load serves it
     * from its staged file, and the background publisher writes it when the store is back.
     */
    @Override
    public void publish(TableRow table, long version) {
        long published = publishStates
                .state(table.id())
                .map(PublishState::publishedVersion)
                .orElse(-1L);
        try {
            Storage storage = storages.forLocation(table.location());
            for (CommitRow row : commitRows.commits(table.id(), published + 1, version)) {
                String path = storage.resolve(table.location(), DeltaLogNames.commitFile(row.version()));
                byte[] content = row.content(storage, table.location());
                if (!storage.putIfAbsent(path, content)) {
                    Optional<byte[]> existing = storage.read(path);
                    if (existing.isEmpty() || !Arrays.equals(existing.get(), content)) {
                        log.warn("{} of {} exists with other content; the publisher will report it", path, table);
                        return;
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            log.warn("Publishing {} through version {} failed; the publisher retries", table.fullName(), version, e);
        }
    }

    private static ApiException invalid(String detail) {
        return ApiException.badRequest(ErrorCode.VALIDATION_FAILED, detail);
    }
}
