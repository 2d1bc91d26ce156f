package io.deltaplane.metadata.commit;

import static java.util.Objects.requireNonNull;

import io.deltaplane.metadata.names.TableName;
import io.deltaplane.metadata.table.TableRow;
import java.time.Instant;
import java.util.List;
import java.util.function.Supplier;
import tools.jackson.databind.JsonNode;

/**
 * What a door or a background loop asks of {@link CommitPipeline}: every way a table version is
 * made is one of these. The pipeline authorizes what a request asks, decides the version once,
 * groups, writes through {@link CommitWriter} and publishes before answering where the intent
 * requires; the callers only build intents.
 */
public sealed interface CommitIntent {

    /** Whether the actions are completed by the platform or stored and published as an engine wrote them. */
    enum Authorship {
        /** The platform fills in what it owns (commitInfo, row ids). */
        PLATFORM,
        /** Checked like every commit, nothing filled in: a staged commit, an imported or adopted log. */
        ENGINE
    }

    /**
     * {@code /api/v1}'s commit at {@code expectedVersion + 1}, by a caller who needs MODIFY. A plain
     * commit of a table whose state is cached is written without reading the table first, in a group
     * with other requests' plain commits.
     */
    record AtVersion(TableName table, long expectedVersion, List<JsonNode> actions, String operation)
            implements CommitIntent {
        public AtVersion {
            requireNonNull(table, "table");
        }
    }

    /**
     * {@code /api/v1}'s append without an expected version, by a caller who needs MODIFY: placed at
     * the table's next version behind its row lock, checked against what committed since {@code
     * readVersion} (null: nothing is).
     */
    record Append(TableName table, Long readVersion, List<JsonNode> actions, String operation) implements CommitIntent {
        public Append {
            requireNonNull(table, "table");
        }
    }

    /**
     * {@code /api/v1/transactions}: one version of each table, all or none, by a caller who needs
     * MODIFY on every table.
     */
    record Transaction(List<Part> parts) implements CommitIntent {

        /** One table's part: {@code actions}, or the file an engine staged for the next version. */
        public record Part(
                TableName table,
                Long expectedVersion,
                List<JsonNode> actions,
                String operation,
                String stagedCommitFile) {}
    }

    /**
     * Version 0 of a new table (create, import, finalize), which takes its location in the same
     * transaction. The table id is the metaData's {@code id} when it is a UUID, else a new one.
     */
    record Create(NewTable table, List<JsonNode> actions, Instant committedAt, String operation)
            implements CommitIntent {}

    /** Where a new table goes; {@code managed}: the platform chose {@code location}. */
    record NewTable(String catalog, String schema, String name, String location, String comment, boolean managed) {}

    /**
     * Version {@code expectedVersion + 1} of a table whose row the caller read (OPTIMIZE, a
     * conversion, an import, a ratified staged commit, an engine's version taken from its log):
     * the row is not read again, the compare-and-swap refuses the version if the table moved on.
     * {@code currentProtocol}: the table's protocol as the caller read it with the row, or null.
     */
    record Next(
            TableRow table,
            long expectedVersion,
            List<JsonNode> actions,
            Instant committedAt,
            String operation,
            Authorship authorship,
            JsonNode currentProtocol)
            implements CommitIntent {

        /** A version the platform makes from the row it read. */
        public static Next byThePlatform(TableRow table, long expected, List<JsonNode> actions, Instant at, String op) {
            return new Next(table, expected, actions, at, op, Authorship.PLATFORM, null);
        }

        /** A version an engine wrote, stored and published as written. */
        public static Next asWritten(TableRow table, long expected, List<JsonNode> actions, Instant at) {
            return new Next(table, expected, actions, at, null, Authorship.ENGINE, null);
        }
    }

    /**
     * An engine's staged commit (a catalog-managed table) offered as version {@code version} of a
     * table whose row and current protocol (or null) the door read: ratified when it is the next
     * version, answered as landed when that version was ratified from the same file before (clients
     * retry), refused with 409 when another file took it and 400 when it skips a version. {@code
     * stagedFile} reads the file once, only when it is the next version; the version is recorded
     * with the bytes read and published before the answer. The door authorized the whole request
     * (its requirements are checked against the table, so the table is named before it is read); the
     * pipeline requires MODIFY again (a cached decision) before it reads the staged file.
     */
    record Ratify(
            TableRow table,
            long version,
            String fileName,
            long fileModificationTimestamp,
            JsonNode currentProtocol,
            Supplier<StagedCommits.Staged> stagedFile)
            implements CommitIntent {
        public Ratify {
            requireNonNull(table, "table");
            requireNonNull(fileName, "fileName");
            requireNonNull(stagedFile, "stagedFile");
        }
    }

    /**
     * A version the platform published that Postgres lost to a restore from an older backup, taken
     * back from {@code _delta_log} with its own In-Commit Timestamp: accepted while the table waits
     * for its restore check, which refuses every other commit.
     */
    record Adopted(TableName table, long expectedVersion, List<JsonNode> actions, String operation, Instant committedAt)
            implements CommitIntent {}
}
