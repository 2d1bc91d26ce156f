package io.deltaplane.metadata;

import static org.assertj.core.api.Assertions.assertThat;

import io.deltaplane.metadata.table.TableRepository;
import io.deltaplane.metadata.table.TableRow;
import java.sql.Types;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Base of the tests that hold a statement to reading only the rows it needs, however large the
 * table grew after its statistics were taken ({@link RowsRead}): a table made over the API, and the
 * transaction and JDBC access the tests grow it and measure with.
 */
public abstract class StatementReadsTestBase extends MetadataTestBase {

    private static final String INSERT_FILES = "INSERT INTO files (table_id, path, added_version, removed_version,"
            + " size, action) SELECT :id, p, :added, :removed, 10, '{\"path\":\"' || p || '\"}'"
            + " FROM (SELECT :prefix || lpad(g::text, 5, '0') || '.parquet' AS p FROM generate_series(1, :n) g) x";

    @Autowired
    protected TableRepository tables;

    @Autowired
    protected TransactionTemplate tx;

    @Autowired
    protected JdbcClient jdbc;

    /** A new table at version 1, with one live file ({@code first.parquet}). */
    protected TableRow tableWithOneFile() {
        String fullName = newTable();
        ok(commit(fullName, 0, add("first.parquet", 10)), 201);
        return tables.require(fullName);
    }

    /**
     * Inserts {@code n} file rows straight into {@code files} (no commit rows): paths {@code
     * <prefix>00001.parquet} and on, added at {@code addedVersion}, removed at {@code
     * removedVersion} or live if it is null; the action is {@code {"path": ...}}.
     */
    protected void insertFiles(TableRow table, String prefix, int n, long addedVersion, Long removedVersion) {
        jdbc.sql(INSERT_FILES)
                .param("id", table.id())
                .param("prefix", prefix)
                .param("added", addedVersion)
                .param("removed", removedVersion, Types.BIGINT)
                .param("n", n)
                .update();
    }

    /** Marks {@code first.parquet} removed at {@code version}, as a commit removing it would. */
    protected void removeFirstFileAt(TableRow table, long version) {
        jdbc.sql("UPDATE files SET removed_version = :version WHERE table_id = :id AND path = 'first.parquet'")
                .param("version", version)
                .param("id", table.id())
                .update();
    }

    /** Sets the table's current version, as the commit that made it would. */
    protected void setCurrentVersion(TableRow table, long version) {
        jdbc.sql("UPDATE tables SET current_version = :version WHERE id = :id")
                .param("version", version)
                .param("id", table.id())
                .update();
    }

    /**
     * Writes version {@code next} as a commit would that lands between a reader's look at the table
     * and its statement: {@code first.parquet} removed, {@code second-00001.parquet} added, the
     * commit row, and the table's current version moved to {@code next}.
     */
    protected void commitReplacingFirstFile(TableRow table, long next) {
        removeFirstFileAt(table, next);
        insertFiles(table, "second-", 1, next, null);
        jdbc.sql("INSERT INTO commits (table_id, version, committed_at, operation, actions, num_files, size_bytes)"
                        + " VALUES (:id, :next, now(), 'WRITE', '[]', 1, 10)")
                .param("id", table.id())
                .param("next", next)
                .update();
        setCurrentVersion(table, next);
    }

    /** What the last run of a statement returned, and what it read of {@code files}. */
    protected record Reading<T>(T result, RowsRead.Counts read) {}

    /**
     * Runs {@code statement} under Postgres's {@code plan_cache_mode} {@code mode} past the driver's
     * prepare threshold (5), then once more, counting what that last run read of {@code files}.
     */
    protected <T> Reading<T> readInPlan(String mode, Supplier<T> statement) {
        RowsRead.planCacheMode(jdbc, mode);
        for (int i = 0; i < 6; i++) {
            statement.get();
        }
        RowsRead.Counts before = RowsRead.of(jdbc, "files");
        T result = statement.get();
        return new Reading<>(result, RowsRead.of(jdbc, "files").minus(before));
    }

    /** At most {@code atMost} index entries and heap rows of {@code files}, and no sequential scan. */
    protected static void assertReadAtMost(String mode, RowsRead.Counts read, long atMost) {
        assertThat(read.indexEntries())
                .as("%s: index entries of files read", mode)
                .isLessThanOrEqualTo(atMost);
        assertThat(read.scanned())
                .as("%s: rows of files read by sequential scans", mode)
                .isZero();
        assertThat(read.fetched()).as("%s: heap rows of files fetched", mode).isLessThanOrEqualTo(atMost);
    }

    /** {@code first.parquet}, then {@code live-00001.parquet} to the {@code n}th: in path order. */
    protected static List<String> firstAndLive(int n) {
        return Stream.concat(
                        Stream.of("first.parquet"),
                        IntStream.rangeClosed(1, n).mapToObj(i -> String.format("live-%05d.parquet", i)))
                .toList();
    }
}
