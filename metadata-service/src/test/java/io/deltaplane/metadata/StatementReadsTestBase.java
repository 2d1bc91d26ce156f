package io.deltaplane.metadata;

import io.deltaplane.metadata.table.TableRepository;
import io.deltaplane.metadata.table.TableRow;
import java.sql.Types;
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
}
