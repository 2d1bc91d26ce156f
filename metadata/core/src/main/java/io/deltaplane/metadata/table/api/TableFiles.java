package io.deltaplane.metadata.table.api;

import static java.util.Objects.requireNonNull;

import io.deltaplane.metadata.table.StorageRoots;
import io.deltaplane.metadata.table.TableLocations;
import io.deltaplane.metadata.table.TableRow;
import io.deltaplane.storage.Storage;
import io.deltaplane.storage.Storages;
import io.deltaplane.support.problem.ApiException;
import io.deltaplane.support.problem.ErrorCode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.springframework.stereotype.Component;

/**
 * A table's files on its storage, as its lifecycle needs them: whether a location already holds a
 * Delta log, and purging what is the table's — its {@code _delta_log} and the data files its log
 * ever referenced, the whole directory where the platform made it. Never a foreign file.
 */
@Component
class TableFiles {

    private final StorageRoots roots;
    private final Storages storages;

    TableFiles(StorageRoots roots, Storages storages) {
        this.roots = requireNonNull(roots, "roots");
        this.storages = requireNonNull(storages, "storages");
    }

    /**
     * A new table must not take over another table's log (a dropped but not purged table, or one
     * written by another engine): its version 0 would clash with the files already there.
     */
    void requireNoDeltaLog(String location) {
        if (holdsDeltaLog(location)) {
            throw ApiException.conflict(
                    ErrorCode.LOCATION_IN_USE,
                    location + " already holds a Delta table: adopt it with POST /api/v1/tables/import, purge the"
                            + " dropped table's files, or choose another location.");
        }
    }

    /** Whether anything is under {@code location}'s {@code _delta_log}. */
    boolean holdsDeltaLog(String location) {
        return TableLocations.holdsDeltaLog(storages, location);
    }

    /** Deletes the dropped {@code table}'s own files; {@code dataFiles} are every path its log added. */
    void purge(TableRow table, List<String> dataFiles) {
        if (TableLocations.isObjectStore(table.location())) {
            purgeObjects(table.location(), dataFiles);
        } else if (table.location().startsWith("file:")) {
            Path root = TableLocations.path(table.location());
            if (roots.isManaged(table)) {
                TableLocations.deleteDirectory(root);
            } else {
                purgeOwnFiles(root, dataFiles);
            }
        }
    }

    /**
     * On an object store: the objects of the log and the data files the log referenced, by name —
     * never a listing of the whole prefix, so a neighbour's objects under it stay.
     */
    private void purgeObjects(String location, List<String> dataFiles) {
        Storage storage = storages.forLocation(location);
        try {
            String log = storage.resolve(location, "_delta_log");
            for (String name : storage.list(log)) {
                storage.delete(storage.resolve(log, name));
            }
            // the Iceberg metadata the platform made for the table, all of it its own
            String iceberg = storage.resolve(location, TableLocations.ICEBERG_FOLDER);
            for (io.deltaplane.storage.StoredFile file : storage.filesUnder(iceberg)) {
                storage.delete(storage.resolve(iceberg, file.name()));
            }
            for (String relative : dataFiles) {
                if (relative.contains(":") || relative.startsWith("/") || relative.contains("..")) {
                    continue; // absolute or escaping paths were never the table's to delete
                }
                storage.delete(storage.resolve(location, relative));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not purge " + location, e);
        }
    }

    /** The log and the referenced data files, then the directories they leave empty. */
    private static void purgeOwnFiles(Path root, List<String> dataFiles) {
        TableLocations.deleteDirectory(root.resolve("_delta_log"));
        TableLocations.deleteDirectory(root.resolve(TableLocations.ICEBERG_FOLDER));
        for (String relative : dataFiles) {
            Path file = root.resolve(relative).normalize();
            if (!file.startsWith(root) || relative.contains(":")) {
                continue; // absolute or escaping paths were never the table's to delete
            }
            try {
                Files.deleteIfExists(file);
                for (Path dir = file.getParent();
                        dir != null && dir.startsWith(root) && !dir.equals(root);
                        dir = dir.getParent()) {
                    try (Stream<Path> left = Files.list(dir)) {
                        if (left.findAny().isPresent()) {
                            break;
                        }
                    }
                    Files.delete(dir);
                }
            } catch (IOException e) {
                throw new UncheckedIOException("could not purge " + file, e);
            }
        }
    }
}
