package io.deltaplane.metadata.commit;

import static io.deltaplane.metadata.MetadataErrors.invalidAction;
import static java.util.Objects.requireNonNull;

import io.deltaplane.metadata.commit.TableStateReads.TableHead;
import io.deltaplane.metadata.delta.ActionParser.TableState;
import io.deltaplane.metadata.delta.ColumnMapping;
import io.deltaplane.metadata.delta.CommitActions;
import io.deltaplane.metadata.delta.TablePaths;
import io.deltaplane.storage.RangedInput;
import io.deltaplane.storage.Storage;
import io.deltaplane.storage.Storages;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.io.DelegatingSeekableInputStream;
import org.apache.parquet.io.InputFile;
import org.apache.parquet.io.SeekableInputStream;
import org.apache.parquet.schema.Type;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;

/**
 * Column mapping mode {@code id}: Delta readers resolve a data file's columns by their Parquet field
 * ids, so a file without them reads as nulls. Delta's own writers always write them; a commit to an
 * {@code id}-mode table adding a file whose columns carry none (a writer that ignored the mode) is
 * refused by name, as delta-spark refuses to read it — before the commit's transaction (each added
 * file's footer is read; a data file never changes once added). A table's {@code id} mode is fixed
 * at its creation ({@link ColumnMapping#checkChange} allows only none to name), so whether a table
 * has it is learnt from the table's head, which the commit reads anyway ({@link TableHead#fieldIdsRequired}),
 * and remembered per table id for the commits that do not read it (the cached fast path, a transaction's
 * parts): a commit to any other table costs one map lookup. A process that dies forgets the map; the next
 * read of each table's head (or, for a table only ever reached by a transaction, one read of its
 * metaData) learns it again.
 */
@Component
class FieldIdCheck {

    private final TableStateReads reads;
    private final Storages storages;
    private final Map<UUID, Boolean> idMode = new ConcurrentHashMap<>();

    FieldIdCheck(TableStateReads reads, Storages storages) {
        this.reads = requireNonNull(reads, "reads");
        this.storages = requireNonNull(storages, "storages");
    }

    /** Refuses {@code actions} (as sent) if they add, to a table in column mapping mode id, a file without field ids. */
    void check(TableState table, List<JsonNode> actions) {
        check(table, actions, null);
    }

    /** The same against a head just read, whose mode is then remembered for the table. */
    void check(TableHead head, List<JsonNode> actions) {
        idMode.put(head.state().tableId(), head.fieldIdsRequired());
        check(head.state(), actions, head.fieldIdsRequired());
    }

    private void check(TableState table, List<JsonNode> actions, Boolean storedIdMode) {
        if (actions == null) {
            return;
        }
        JsonNode metaData = null;
        List<String> added = new ArrayList<>();
        for (JsonNode action : actions) {
            if (action == null) {
                continue;
            }
            if (action.has("metaData")) {
                metaData = action.get("metaData");
            }
            if (action.path("add").path("path").isString()) {
                added.add(action.get("add").get("path").asString());
            }
        }
        check(table, metaData, added, storedIdMode);
    }

    /** The same for a transaction's part, parsed. */
    void check(TableState table, CommitActions actions) {
        check(
                table,
                actions.metadata(),
                actions.adds().stream().map(CommitActions.AddFile::path).toList(),
                null);
    }

    private void check(TableState table, JsonNode metaData, List<String> added, Boolean storedIdMode) {
        if (added.isEmpty()) {
            return;
        }
        boolean idMapped;
        if (metaData != null) {
            idMapped = ColumnMapping.mode(metaData.get("configuration")) == ColumnMapping.Mode.ID;
        } else if (storedIdMode != null) {
            idMapped = storedIdMode;
        } else {
            idMapped = idMode.computeIfAbsent(table.tableId(), this::storedMode);
        }
        if (!idMapped) {
            return;
        }
        Storage storage = storages.forLocation(table.location());
        for (String path : added) {
            TablePaths.objectPath(table.location(), storage, path)
                    .ifPresent(object -> requireFieldIds(storage, object, path));
        }
    }

    private boolean storedMode(UUID tableId) {
        return reads.currentMetadata(tableId)
                        .map(m -> ColumnMapping.mode(m.get("configuration")))
                        .orElse(ColumnMapping.Mode.NONE)
                == ColumnMapping.Mode.ID;
    }

    private static void requireFieldIds(Storage storage, String object, String path) {
        List<Type> columns;
        try (ParquetFileReader reader = ParquetFileReader.open(inputFile(storage, object))) {
            columns = reader.getFileMetaData().getSchema().getFields();
        } catch (FileNotFoundException e) {
            throw invalidAction("add " + path + ": no such data file");
        } catch (IOException e) {
            throw new UncheckedIOException("reading the footer of " + object, e);
        } catch (RuntimeException e) {
            throw invalidAction("add " + path + ": not a Parquet file (" + e.getMessage() + ")");
        }
        for (Type column : columns) {
            if (column.getId() == null) {
                throw invalidAction("add " + path + ": the table's column mapping mode is id, and the file's column "
                        + column.getName() + " has no Parquet field id (Delta readers resolve columns by id and"
                        + " would read it as null); write the file with the schema's delta.columnMapping.id as"
                        + " each column's field id");
            }
        }
    }

    private static InputFile inputFile(Storage storage, String object) throws IOException {
        long length = storage.size(object).orElseThrow(() -> new FileNotFoundException(object));
        return new InputFile() {
            @Override
            public long getLength() {
                return length;
            }

            @Override
            public SeekableInputStream newStream() {
                RangedInput in = new RangedInput(storage, object, null);
                return new DelegatingSeekableInputStream(in) {
                    @Override
                    public long getPos() {
                        return in.getPos();
                    }

                    @Override
                    public void seek(long newPos) throws IOException {
                        in.seek(newPos);
                    }
                };
            }
        };
    }
}
