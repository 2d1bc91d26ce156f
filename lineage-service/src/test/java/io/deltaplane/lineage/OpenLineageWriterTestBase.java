package io.deltaplane.lineage;

import io.deltaplane.lineage.openlineage.OpenLineageBatchWriter;
import io.deltaplane.testing.TestHttp;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * The OpenLineage ingestion tests' fixture: the service on a random port with an admin client, and
 * the one writer both endpoints use, with the transactions to call it in directly.
 */
@LineageServiceTest
abstract class OpenLineageWriterTestBase {

    @LocalServerPort
    int port;

    @Autowired
    OpenLineageBatchWriter writer;

    @Autowired
    PlatformTransactionManager transactions;

    TestHttp http;

    @BeforeEach
    void connect() {
        http = TestHttp.local(port, LineageServiceTest.ADMIN_KEY);
    }
}
