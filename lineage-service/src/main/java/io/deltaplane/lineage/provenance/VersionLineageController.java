package io.deltaplane.lineage.provenance;

import static java.util.Objects.requireNonNull;

import io.deltaplane.lineage.dataset.DatasetAccess;
import io.deltaplane.lineage.provenance.VersionLineage.RunRef;
import io.deltaplane.support.names.Names;
import io.deltaplane.support.problem.ApiException;
import io.deltaplane.support.problem.ErrorCode;
import java.util.List;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /api/v1/lineage/tables/{t}/versions/{v}}: what produced a table version and what read
 * it, in one call. Under {@code /api/v1/lineage} because the gateway sends {@code /api/v1/tables/**}
 * to metadata-service.
 */
@RestController
public class VersionLineageController {

    private final DatasetAccess access;

    static final int MAX_READERS = 1000;

    private final VersionLineageRepository versions;

    public VersionLineageController(VersionLineageRepository versions, DatasetAccess access) {
        this.access = requireNonNull(access, "access");
        this.versions = requireNonNull(versions, "versions");
    }

    @GetMapping("/api/v1/lineage/tables/{tableName}/versions/{version}")
    @Transactional(readOnly = true)
    public VersionLineage version(@PathVariable String tableName, @PathVariable long version) {
        String table = Names.lookup(tableName);
        access.requireRead(table);
        VersionLineageRepository.Written written = versions.version(table, version)
                .orElseThrow(() -> versions.tableExists(table)
                        ? ApiException.notFound(
                                ErrorCode.VERSION_NOT_FOUND,
                                "Lineage knows no version " + version + " of '" + table + "'.")
                        : ApiException.notFound(ErrorCode.TABLE_NOT_FOUND, "Lineage knows no table '" + table + "'."));
        List<RunRef> readers = versions.readers(written.snapshotId(), MAX_READERS + 1);
        boolean truncated = readers.size() > MAX_READERS;
        return new VersionLineage(
                table,
                version,
                written.uri(),
                written.format(),
                written.createdAt().toInstant(),
                written.producedBy(),
                truncated ? readers.subList(0, MAX_READERS) : readers,
                truncated);
    }
}
