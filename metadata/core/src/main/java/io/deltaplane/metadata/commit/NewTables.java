package io.deltaplane.metadata.commit;

import io.deltaplane.metadata.MetadataErrors;
import io.deltaplane.metadata.commit.CommitIntent.Create;
import io.deltaplane.metadata.table.TableRow;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import tools.jackson.databind.JsonNode;

/** The row a {@link CommitIntent.Create} makes: its id from the metaData when that is a UUID. */
final class NewTables {

    private NewTables() {}

    static TableRow row(Create create) {
        Instant at = create.committedAt().truncatedTo(ChronoUnit.MILLIS);
        CommitIntent.NewTable table = create.table();
        return new TableRow(
                tableId(create.actions()),
                table.catalog(),
                table.schema(),
                table.name(),
                table.location(),
                0,
                at,
                List.of(),
                table.comment(),
                at,
                at,
                table.managed(),
                List.of());
    }

    private static UUID tableId(List<JsonNode> actions) {
        if (actions != null) {
            for (JsonNode action : actions) {
                JsonNode id = action == null ? null : action.path("metaData").get("id");
                if (id != null && id.isString()) {
                    try {
                        return UUID.fromString(id.stringValue());
                    } catch (IllegalArgumentException e) {
                        throw MetadataErrors.invalidAction("metaData.id must be a UUID");
                    }
                }
            }
        }
        return UUID.randomUUID();
    }
}
