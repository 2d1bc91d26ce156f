package io.deltaplane.metadata.maintenance;

import static java.util.Objects.requireNonNull;

import io.deltaplane.metadata.commit.HistoryRows;
import io.deltaplane.metadata.delta.DeltaTableProperties;
import io.deltaplane.metadata.managed.CatalogManagedTables;
import io.deltaplane.metadata.publish.HistoryStart;
import io.deltaplane.metadata.table.TableRepository;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.json.JsonMapper;

/**
 * Postgres history retention ({@code deltaplane.maintenance.history-retention}), run by the
 * maintenance worker right after log cleanup. The table's new history start is the newest version
 * committed longer ago than the retention, and than the table's {@code
 * delta.deletedFileRetentionDuration} (VACUUM and checkpoint tombstones still count the files
 * removed within that), but never past the first version {@code _delta_log} keeps: Postgres holds
 * every version the log holds. It is recorded first ({@link HistoryStart}), so reads of older
 * versions are refused from then on, and only then are the rows no version from it on reads deleted
 * ({@link HistoryRows}, and the staged commits of catalog-managed tables), in one transaction.
 */
@Component
public class HistoryPruning {

    /**
     * The table's log and history starts and its newest version committed before the cutoff: one
     * probe of commits_by_time, as committed_at grows with the version (CommitRepository.APPEND).
     */
    static final String PLAN = """
            SELECT s.log_start_version, s.history_start_version,
                   (SELECT c.version FROM commits c WHERE c.table_id = s.table_id AND c.committed_at < :cutoff
                    ORDER BY c.committed_at DESC LIMIT 1) AS expired
            FROM publish_state s WHERE s.table_id = :tableId
            """;

    private static final Logger log = LoggerFactory.getLogger(HistoryPruning.class);

    /**
     * What one pruning did: the table's history start now, the cutoff its commit is older than,
     * and the rows deleted (none when the start did not move).
     */
    public record Result(long historyStartVersion, Instant cutoff, HistoryRows.Deleted rowsDeleted) {}

    private final JdbcClient jdbc;
    private final HistoryStart historyStart;
    private final HistoryRows rows;
    private final CatalogManagedTables catalogCommits;
    private final TableRepository tables;
    private final TransactionTemplate transactions;
    private final JsonMapper json;
    private final Clock clock;

    public HistoryPruning(
            JdbcClient jdbc,
            HistoryStart historyStart,
            HistoryRows rows,
            CatalogManagedTables catalogCommits,
            TableRepository tables,
            TransactionTemplate transactions,
            JsonMapper json,
            Clock clock) {
        this.jdbc = requireNonNull(jdbc, "jdbc");
        this.historyStart = requireNonNull(historyStart, "historyStart");
        this.rows = requireNonNull(rows, "rows");
        this.catalogCommits = requireNonNull(catalogCommits, "catalogCommits");
        this.tables = requireNonNull(tables, "tables");
        this.transactions = requireNonNull(transactions, "transactions");
        this.json = requireNonNull(json, "json");
        this.clock = requireNonNull(clock, "clock");
    }

    /** Prunes the table's history to {@code retention} (see the class comment); empty when it is not published. */
    public Optional<Result> prune(UUID tableId, Duration retention) {
        Duration deletedFiles = DeltaTableProperties.deletedFileRetention(
                json.readTree(tables.currentMetadata(tableId)).path("configuration"));
        Instant cutoff = clock.instant().minus(retention.compareTo(deletedFiles) >= 0 ? retention : deletedFiles);
        record Plan(long logStart, long historyStart, Long expired) {}
        Optional<Plan> plan = jdbc.sql(PLAN)
                .param("cutoff", cutoff.atOffset(ZoneOffset.UTC))
                .param("tableId", tableId)
                .query((rs, n) -> new Plan(rs.getLong(1), rs.getLong(2), rs.getObject(3, Long.class)))
                .optional();
        if (plan.isEmpty()) {
            return Optional.empty();
        }
        long previous = plan.get().historyStart();
        long start = previous;
        if (plan.get().expired() != null) {
            long candidate = Math.min(plan.get().expired(), plan.get().logStart());
            // recorded before anything goes (and only while the log's start is not below it)
            if (candidate > previous && historyStart.advance(tableId, candidate)) {
                start = candidate;
            }
        }
        if (start == 0) {
            return Optional.of(new Result(0, cutoff, HistoryRows.Deleted.NONE));
        }
        // also below an unchanged start: what a round stopped between the record and the delete left
        long kept = start;
        HistoryRows.Deleted deleted = transactions.execute(status -> {
            catalogCommits.forgetCommitsBefore(tableId, kept);
            return rows.deleteBefore(tableId, kept);
        });
        if (start > previous) {
            log.info("History pruning of table {}: Postgres keeps versions from {} on ({})", tableId, start, deleted);
        }
        return Optional.of(new Result(start, cutoff, deleted));
    }
}
