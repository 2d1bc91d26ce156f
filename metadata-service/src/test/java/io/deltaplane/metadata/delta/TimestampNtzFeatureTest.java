package io.deltaplane.metadata.delta;

import static org.assertj.core.api.Assertions.assertThat;

import io.delta.kernel.TableManager;
import io.deltaplane.metadata.MetadataTestBase;
import io.deltaplane.metadata.publish.KernelReader;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * A table's schema and protocol never disagree on {@code timestamp_ntz}: a table created with such a
 * column gets the {@code timestampNtz} feature (before, it got the legacy protocol, and delta-spark
 * refused to read the table), and a commit that adds one to a protocol without the feature is
 * refused by name, as Delta's own writers refuse it; with the feature in the same commit it lands.
 */
class TimestampNtzFeatureTest extends MetadataTestBase {

    private static final String WITH_NTZ = "{\"type\":\"struct\",\"fields\":["
            + "{\"name\":\"id\",\"type\":\"long\",\"nullable\":false,\"metadata\":{}},"
            + "{\"name\":\"seen\",\"type\":{\"type\":\"array\",\"elementType\":\"timestamp_ntz\",\"containsNull\":true},"
            + "\"nullable\":true,\"metadata\":{}}]}";

    @Test
    void aTableCreatedWithATimestampNtzColumnHasTheFeature() {
        String catalog = newCatalogWithSchemaS();
        ok(
                http.post(
                        "/api/v1/tables",
                        "{\"catalog_name\":\"" + catalog + "\",\"schema_name\":\"s\",\"name\":\"t\",\"schema\":"
                                + WITH_NTZ + "}"),
                201);
        String table = catalog + ".s.t";
        JsonNode protocol = protocolAt(table, 0);
        assertThat(protocol.get("readerFeatures").toString()).contains("timestampNtz");
        assertThat(protocol.get("writerFeatures").toString()).contains("timestampNtz");
        awaitPublished(table, 0);
        // Kernel reads the published protocol and schema back
        var snapshot = TableManager.loadSnapshot(
                        get("/api/v1/tables/" + table).get("location").asString())
                .build(KernelReader.ENGINE);
        assertThat(snapshot.getSchema().toString()).contains("timestamp_ntz");
    }

    @Test
    void aCommitAddingATimestampNtzColumnNeedsTheFeature() {
        String table = newTable();
        assertThat(refusal(commit(table, 0, metaDataAction(table, WITH_NTZ, List.of(), Map.of())), "timestampNtz"))
                .isEqualTo("400 INVALID_ACTION naming timestampNtz");
        assertThat(version(table)).isZero();

        String upgrade = "{\"protocol\":{\"minReaderVersion\":3,\"minWriterVersion\":7,"
                + "\"readerFeatures\":[\"timestampNtz\"],\"writerFeatures\":[\"appendOnly\",\"invariants\","
                + "\"inCommitTimestamp\",\"timestampNtz\"]}}";
        ok(commit(table, 0, upgrade, metaDataAction(table, WITH_NTZ, List.of(), Map.of())), 201);
        assertThat(protocolAt(table, 1).get("writerFeatures").toString()).contains("timestampNtz");
    }
}
