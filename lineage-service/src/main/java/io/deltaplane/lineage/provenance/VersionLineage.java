package io.deltaplane.lineage.provenance;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * One table version's lineage: the run that wrote it ({@code producedBy}, null when lineage only
 * knows the commit, not who made it) and the runs that read it, oldest first.
 */
public record VersionLineage(
        String tableName,
        long version,
        String uri,
        String format,
        Instant createdAt,
        RunRef producedBy,
        List<RunRef> readBy,
        boolean truncated) {

    /** A run and when it wrote or read the version. */
    public record RunRef(UUID runId, String jobName, Instant at) {}
}
