package io.deltaplane.metadata.table.api;

import static java.util.Objects.requireNonNull;

import io.deltaplane.metadata.names.TableName;
import io.deltaplane.metadata.table.PublishStatusSource;
import io.deltaplane.metadata.table.StorageRoots;
import io.deltaplane.metadata.table.TableRepository;
import io.deltaplane.metadata.table.TableRow;
import io.deltaplane.support.access.GrantStore;
import io.deltaplane.support.access.Securable;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** A table as every door answers it: its row, current metadata and publication status. */
@Component
public class TableResponses {

    private final TableRepository tables;
    private final StorageRoots roots;
    private final GrantStore grants;
    private final ObjectProvider<PublishStatusSource> publish;
    private final JsonMapper json = JsonMapper.builder().build();

    public TableResponses(
            TableRepository tables,
            StorageRoots roots,
            GrantStore grants,
            ObjectProvider<PublishStatusSource> publish) {
        this.grants = requireNonNull(grants, "grants");
        this.roots = requireNonNull(roots, "roots");
        this.tables = requireNonNull(tables, "tables");
        this.publish = requireNonNull(publish, "publish");
    }

    /** The table named {@code name} as it is now, or 404; no authorization (the caller decided). */
    public TableResponse of(TableName name) {
        return of(tables.require(name));
    }

    /** The table as it is now; no authorization (the caller decided). */
    public TableResponse of(TableRow row) {
        JsonNode metadata = json.readTree(tables.currentMetadata(row.id()));
        var status = publish.stream()
                .findFirst()
                .flatMap(source -> source.status(row.id(), row.currentVersion()))
                .orElse(null);
        return new TableResponse(
                row.id(),
                row.fullName(),
                row.catalog(),
                row.schema(),
                row.name(),
                row.location(),
                roots.isManaged(row) ? "MANAGED" : "EXTERNAL",
                row.currentVersion(),
                metadata.get("schemaString").stringValue(),
                row.partitionColumns(),
                metadata.get("configuration").toString(),
                row.comment(),
                row.createdAt(),
                row.updatedAt(),
                grants.owner(Securable.table(row.catalog(), row.schema(), row.name()))
                        .orElse(null),
                status);
    }
}
