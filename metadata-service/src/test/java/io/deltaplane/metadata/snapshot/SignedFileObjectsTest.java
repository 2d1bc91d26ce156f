package io.deltaplane.metadata.snapshot;

import static org.assertj.core.api.Assertions.assertThat;

import io.deltaplane.metadata.delta.TablePaths;
import io.deltaplane.storage.Storages;
import org.junit.jupiter.api.Test;

/**
 * Which object a signed URL may name: only one inside the table's location. Commits already refuse
 * paths that escape it; this is the signer's own check, in case a row predates that rule.
 */
class SignedFileObjectsTest {

    private static final String TABLE = "s3://lake/warehouse/c/s/t";
    private final Storages storages = Storages.fromEnvironment(java.util.Map.of());

    @Test
    void relativePathsResolveUnderTheLocationDecoded() {
        var s3 = storages.forLocation(TABLE);
        assertThat(TablePaths.objectPath(TABLE, s3, "part-0.parquet")).hasValue(TABLE + "/part-0.parquet");
        assertThat(TablePaths.objectPath(TABLE, s3, "day=1/a%20b.parquet")).hasValue(TABLE + "/day=1/a b.parquet");
    }

    @Test
    void pathsOutsideTheLocationAreNotSigned() {
        var s3 = storages.forLocation(TABLE);
        assertThat(TablePaths.objectPath(TABLE, s3, "../other/x.parquet")).isEmpty();
        assertThat(TablePaths.objectPath(TABLE, s3, "a/%2E%2E/%2E%2E/../x.parquet"))
                .isEmpty();
        assertThat(TablePaths.objectPath(TABLE, s3, "s3://lake/warehouse/c/s/other/x.parquet"))
                .isEmpty();
        assertThat(TablePaths.objectPath(TABLE, s3, "s3://lake/warehouse/c/s/t/../u/x.parquet"))
                .isEmpty();
        assertThat(TablePaths.objectPath(TABLE, s3, "/etc/passwd")).isEmpty();
        assertThat(TablePaths.objectPath(TABLE, s3, TABLE + "/x.parquet")).hasValue(TABLE + "/x.parquet");
    }
}
