package io.deltaplane.ingest.mapping.api;

import io.deltaplane.ingest.mapping.MappingSpec;
import io.deltaplane.ingest.mapping.MappingSpec.BatchSpec;
import io.deltaplane.ingest.mapping.MappingSpec.ColumnSpec;
import io.deltaplane.ingest.mapping.MappingSpec.SourceSpec;
import io.deltaplane.ingest.mapping.MappingSpec.TargetSpec;
import io.deltaplane.ingest.mapping.StoredMapping;
import java.time.Instant;
import java.util.List;

/** The mapping as the API returns it: the spec (which holds no secrets) plus its stored state. */
public record MappingResource(
        String name,
        SourceSpec source,
        TargetSpec target,
        String format,
        List<ColumnSpec> columns,
        BatchSpec batch,
        boolean dryRun,
        boolean enabled,
        boolean paused,
        long version,
        Instant createdAt,
        Instant updatedAt) {

    static MappingResource of(StoredMapping m) {
        MappingSpec s = m.spec();
        return new MappingResource(
                s.name(),
                s.source(),
                s.target(),
                s.format(),
                s.columns(),
                s.batch(),
                s.isDryRun(),
                s.isEnabled(),
                m.paused(),
                m.version(),
                m.createdAt(),
                m.updatedAt());
    }
}
