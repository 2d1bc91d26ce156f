package io.deltaplane.metadata;

import io.deltaplane.metadata.table.TableRepository;
import io.deltaplane.metadata.table.TableRow;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Base of the tests that hold a statement to reading only the rows it needs, however large the
 * table grew after its statistics were taken ({@link RowsRead}): a table made over the API, and the
 * transaction and JDBC access the tests grow it and measure with.
 */
public abstract class StatementReadsTestBase extends MetadataTestBase {

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
}
