package io.deltaplane.metadata.managed;

import static java.util.Objects.requireNonNull;

import io.deltaplane.metadata.commit.StagedCommits;
import io.deltaplane.metadata.deltalog.DeltaLogNames;
import io.deltaplane.metadata.managed.CatalogManagedTables.StagedTable;
import io.deltaplane.metadata.table.TableRow;
import io.deltaplane.storage.NotARegularFileException;
import io.deltaplane.storage.Storage;
import io.deltaplane.storage.Storages;
import io.deltaplane.support.problem.ApiException;
import io.deltaplane.support.problem.ErrorCode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;

/**
 * Staged commit files: reading one for a version — once, the table's own regular file, within
 * {@link StagedCommitCaps}, checked by {@link StagedCommitRules} — and recording which file a
 * version came from, with the bytes read ({@code catalog_commits}). Used by every door that takes
 * staged commits (through {@link StagedCommitRatifier}, and by {@code POST /api/v1/transactions}).
 */
@Component
public class StagedCommitFiles implements StagedCommits {

    private final Storages storages;
    private final CatalogManagedTables managed;
    private final StagedCommitRules rules;
    private final StagedCommitCaps caps;

    public StagedCommitFiles(
            Storages storages, CatalogManagedTables managed, StagedCommitRules rules, StagedCommitCaps caps) {
        this.storages = requireNonNull(storages, "storages");
        this.managed = requireNonNull(managed, "managed");
        this.rules = requireNonNull(rules, "rules");
        this.caps = requireNonNull(caps, "caps");
    }

    @Override
    public Staged read(TableRow table, long version, String fileName) {
        return read(table, managed.byTable(table.id()), version, fileName);
    }

    /**
     * {@link #read(TableRow, long, String)}, where the caller read the table's registration in
     * {@code unity_tables} already ({@link CatalogTable}).
     */
    public Staged read(TableRow table, Optional<StagedTable> registration, long version, String fileName) {
        StagedTable registered = registration.orElseThrow(
                () -> invalid(table.fullName() + " is not catalog-managed: commit actions through"
                        + " /api/v1, or make it catalog-managed first (POST /api/v1/tables/" + table.fullName()
                        + "/catalog-managed)"));
        OptionalLong named = fileName == null ? OptionalLong.empty() : DeltaLogNames.stagedCommitVersion(fileName);
        if (named.isEmpty() || named.getAsLong() != version) {
            throw invalid("a staged commit for version " + version + " is named <20-digit version>.<uuid>.json"
                    + " (a bare name under _delta_log/_staged_commits/), not " + fileName);
        }
        byte[] content;
        try {
            Storage storage = storages.forLocation(table.location());
            String relative = DeltaLogNames.stagedCommit(fileName);
            // the length the store reports, before a byte is read (none: not there or not a regular
            // file, which the read below says)
            OptionalLong length = storage.size(storage.resolve(table.location(), relative));
            if (length.isPresent()) {
                caps.checkSize(fileName, length.getAsLong());
            }
            content = storage.readOwnFile(table.location(), relative)
                    .orElseThrow(() -> invalid("staged commit " + fileName + " is not in _delta_log/_staged_commits"));
        } catch (NotARegularFileException e) {
            throw invalid("staged commit " + fileName + " must be a regular file of this table's"
                    + " _delta_log/_staged_commits: " + e.getMessage());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        caps.checkSize(fileName, content.length); // grown since it was measured
        caps.checkActions(fileName, content);
        List<JsonNode> actions = StagedCommitRules.actions(content);
        long ict = rules.check(table, registered.unityId(), actions);
        return new Staged(fileName, actions, ict, content);
    }

    @Override
    public boolean ratifiedFrom(TableRow table, long version, String fileName) {
        return managed.commit(table.id(), version)
                .map(c -> c.fileName().equals(fileName))
                .orElse(false);
    }

    @Override
    public void record(TableRow table, long version, Staged staged, long fileModificationTimestamp) {
        managed.recordCommit(
                table.id(),
                new CatalogCommit(
                        version,
                        staged.inCommitTimestamp(),
                        staged.fileName(),
                        staged.size(),
                        fileModificationTimestamp),
                staged.content());
    }

    private static ApiException invalid(String detail) {
        return ApiException.badRequest(ErrorCode.VALIDATION_FAILED, detail);
    }
}
