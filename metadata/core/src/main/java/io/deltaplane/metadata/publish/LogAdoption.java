package io.deltaplane.metadata.publish;

import static java.util.Objects.requireNonNull;

import io.deltaplane.metadata.commit.CommitIntent;
import io.deltaplane.metadata.commit.CommitPipeline;
import io.deltaplane.metadata.commit.CommitWriter;
import io.deltaplane.metadata.deltalog.DeltaLogJson;
import io.deltaplane.metadata.deltalog.DeltaLogNames;
import io.deltaplane.metadata.names.TableName;
import io.deltaplane.metadata.publish.CommitRows.CommitRow;
import io.deltaplane.metadata.publish.PublishRepository.Claim;
import io.deltaplane.metadata.table.TableRepository;
import io.deltaplane.metadata.table.TableRow;
import io.deltaplane.storage.Storage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Takes back versions of a table's {@code _delta_log} that lie beyond what Postgres holds because
 * Postgres was restored from a backup older than the log: the platform published them, clients were
 * told they committed, so they are the table's. Each is written again through the one write path
 * ({@link CommitPipeline}, with the file's own in-commit timestamp), and kept only if Postgres then
 * renders exactly the file's bytes; otherwise the transaction rolls back and the version stays
 * foreign. A version is ours when its {@code commitInfo} carries this table's id ({@link
 * CommitWriter#TABLE_ID_FIELD}, set on every version the platform writes), so a commit an engine
 * wrote to the file system behind the catalog is never adopted as the platform's. Versions are
 * taken in order, from the one after Postgres's, and adoption stops at the first that is not ours —
 * except on an EXTERNAL table ({@link EngineLogs}), whose log engines write: its engines' versions
 * are taken in next, as they wrote them.
 */
public class LogAdoption {

    private static final Logger log = LoggerFactory.getLogger(LogAdoption.class);
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final CommitPipeline pipeline;
    private final CommitRows commitRows;
    private final TransactionTemplate transactions;
    private final EngineLogs engineLogs;
    private final TableRepository tables;
    private final Clock clock;

    public LogAdoption(
            CommitPipeline pipeline,
            CommitRows commitRows,
            TransactionTemplate transactions,
            EngineLogs engineLogs,
            TableRepository tables,
            Clock clock) {
        this.pipeline = requireNonNull(pipeline, "pipeline");
        this.commitRows = requireNonNull(commitRows, "commitRows");
        this.transactions = requireNonNull(transactions, "transactions");
        this.engineLogs = requireNonNull(engineLogs, "engineLogs");
        this.tables = requireNonNull(tables, "tables");
        this.clock = requireNonNull(clock, "clock");
    }

    /**
     * Adopts what it can of {@code beyond} (versions past {@code committed}, ascending) under the
     * caller's publish lease, renewed as it goes; returns the versions adopted. A version the commit
     * path refuses (a rule this release added, a concurrent commit) ends adoption there: it and what
     * follows stay foreign, and the rest of the reconcile goes on.
     */
    public List<Long> adopt(Claim claim, Storage storage, long committed, List<Long> beyond, PublishLease lease)
            throws IOException {
        List<Long> adopted = new ArrayList<>();
        long expected = committed;
        for (long version : beyond) {
            if (version != expected + 1) {
                break; // a gap: what follows it cannot be placed
            }
            if (!lease.keep(claim.publishedVersion())) {
                log.warn(
                        "Adopting versions of {} stopped at {}: its publish lease was taken over",
                        claim.fullName(),
                        version);
                break;
            }
            String path = storage.resolve(claim.location(), DeltaLogNames.commitFile(version));
            Optional<byte[]> file = storage.read(path);
            if (file.isEmpty()) {
                break;
            }
            Optional<Commit> commit = ours(claim, file.get());
            if (commit.isEmpty()) {
                break;
            }
            long previous = expected;
            Boolean kept;
            try {
                kept = transactions.execute(tx -> {
                    pipeline.commit(new CommitIntent.Adopted(
                            new TableName(
                                    commit.get().catalog(),
                                    commit.get().schema(),
                                    commit.get().name()),
                            previous,
                            commit.get().actions(),
                            commit.get().operation(),
                            commit.get().inCommitTimestamp()));
                    List<CommitRow> stored = commitRows.commits(claim.tableId(), version, version);
                    if (stored.size() != 1
                            || !Arrays.equals(DeltaLogJson.render(stored.get(0).actionsJson()), file.get())) {
                        tx.setRollbackOnly();
                        return false;
                    }
                    return true;
                });
            } catch (RuntimeException e) {
                log.error(
                        "Version {} of {} carries the table's mark but the commit path refused it; left foreign",
                        version,
                        claim.fullName(),
                        e);
                break;
            }
            if (!Boolean.TRUE.equals(kept)) {
                log.error(
                        "Version {} of {} carries the table's mark but Postgres would not render it identically;"
                                + " left foreign",
                        version,
                        claim.fullName());
                break;
            }
            log.warn(
                    "Adopted version {} of {} from _delta_log (Postgres was behind the log)",
                    version,
                    claim.fullName());
            adopted.add(version);
            expected = version;
        }
        if (adopted.size() < beyond.size() && engineLogs.followsItsLog(claim.tableId())) {
            adopted.addAll(adoptEngineVersions(
                    claim, storage, expected, beyond.subList(adopted.size(), beyond.size()), lease));
        }
        return adopted;
    }

    /**
     * An EXTERNAL table's versions that engines committed to its log ({@link EngineLogs}): each,
     * in order, is validated and written as the engine wrote it (nothing filled in; the file's own
     * In-Commit Timestamp, if it has one) through the one write path, its bytes kept for publishing;
     * the first one refused, or a gap, ends it.
     */
    private List<Long> adoptEngineVersions(
            Claim claim, Storage storage, long committed, List<Long> versions, PublishLease lease) throws IOException {
        List<Long> adopted = new ArrayList<>();
        long expected = committed;
        for (long version : versions) {
            if (version != expected + 1 || !lease.keep(claim.publishedVersion())) {
                break;
            }
            String name = DeltaLogNames.commitFile(version);
            Optional<byte[]> file = storage.read(storage.resolve(claim.location(), name));
            if (file.isEmpty()) {
                break;
            }
            long previous = expected;
            try {
                List<JsonNode> lines = DeltaLogJson.actions(file.get());
                OptionalLong ict = DeltaLogJson.inCommitTimestamp(lines);
                transactions.executeWithoutResult(tx -> {
                    TableRow table = tables.findById(claim.tableId()).orElseThrow();
                    Instant at = ict.isPresent() ? Instant.ofEpochMilli(ict.getAsLong()) : clock.instant();
                    CommitWriter.Written written = pipeline.commit(
                                    CommitIntent.Next.asWritten(table, previous, lines, at))
                            .only();
                    engineLogs.recordAsWritten(
                            claim.tableId(),
                            version,
                            name,
                            file.get(),
                            written.committedAt().toEpochMilli());
                });
            } catch (RuntimeException e) {
                log.error(
                        "Version {} of {}, written to its log by an engine, was refused; left foreign",
                        version,
                        claim.fullName(),
                        e);
                break;
            }
            log.info("Adopted version {} of {}, which an engine wrote to its log", version, claim.fullName());
            adopted.add(version);
            expected = version;
        }
        return adopted;
    }

    /** A commit file's actions, when the platform wrote them for this table. */
    private record Commit(
            String catalog,
            String schema,
            String name,
            List<JsonNode> actions,
            String operation,
            Instant inCommitTimestamp) {}

    private static Optional<Commit> ours(Claim claim, byte[] file) {
        List<JsonNode> actions = new ArrayList<>();
        JsonNode commitInfo = null;
        try {
            for (String line : new String(file, StandardCharsets.UTF_8).split("\n")) {
                if (line.isBlank()) {
                    continue;
                }
                JsonNode action = JSON.readTree(line);
                if (action.has("commitInfo")) {
                    commitInfo = action.get("commitInfo");
                }
                actions.add(action);
            }
        } catch (RuntimeException e) {
            return Optional.empty(); // not JSON lines: not a file we wrote
        }
        if (commitInfo == null
                || !claim.tableId()
                        .toString()
                        .equals(commitInfo.path(CommitWriter.TABLE_ID_FIELD).asString(""))
                || !commitInfo.path("inCommitTimestamp").canConvertToLong()) {
            return Optional.empty();
        }
        String[] name = claim.fullName().split("\\.", 3);
        if (name.length != 3) {
            return Optional.empty();
        }
        return Optional.of(new Commit(
                name[0],
                name[1],
                name[2],
                actions,
                commitInfo.path("operation").asString("WRITE"),
                Instant.ofEpochMilli(commitInfo.path("inCommitTimestamp").asLong())));
    }
}
