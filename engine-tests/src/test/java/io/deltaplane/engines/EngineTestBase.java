package io.deltaplane.engines;

import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/** An engine test class: the shared platform and Spark session ({@link Engines}), and its schema. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ExtendWith(Engines.Shared.class)
abstract class EngineTestBase {

    static final String CATALOG = Engines.CATALOG;
    static final String SCHEMA = Engines.SCHEMA;

    Path work;
    Deltaplane platform;
    SparkEngine spark;

    @BeforeAll
    void start(Engines engines) {
        work = engines.work;
        platform = engines.platform;
        spark = engines.spark;
    }
}
