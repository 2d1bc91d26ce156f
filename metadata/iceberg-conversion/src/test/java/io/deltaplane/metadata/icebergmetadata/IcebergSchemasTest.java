package io.deltaplane.metadata.icebergmetadata;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.apache.iceberg.mapping.MappedField;
import org.apache.iceberg.types.Types;
import org.junit.jupiter.api.Test;

/**
 * Field ids as Delta's column mapping and Iceberg readers both need them: ids invented for list
 * elements and map keys and values never collide with the ids Delta gives later columns (before,
 * they counted on from {@code maxColumnId}, and the next ADD COLUMN made a duplicate id), and a
 * column renamed only in case keeps its id (Delta's names are case-insensitive; before, it got a
 * new id and read as null).
 */
class IcebergSchemasTest {

    private static String field(String name, String type, int id) {
        return "{\"name\":\"" + name + "\",\"type\":" + type + ",\"nullable\":true,\"metadata\":{"
                + "\"delta.columnMapping.id\":" + id + ",\"delta.columnMapping.physicalName\":\"col-" + id + "\"}}";
    }

    @Test
    void nestedIdsNeverCollideWithColumnsDeltaAddsLater() {
        Map<String, String> mapped = Map.of("delta.columnMapping.mode", "name", "delta.columnMapping.maxColumnId", "2");
        String tags = "{\"type\":\"array\",\"elementType\":\"string\",\"containsNull\":true}";
        String attributes =
                "{\"type\":\"map\",\"keyType\":\"string\",\"valueType\":\"long\",\"valueContainsNull\":true}";
        var first = IcebergSchemas.convert(
                "{\"type\":\"struct\",\"fields\":[" + field("id", "\"long\"", 1) + "," + field("tags", tags, 2) + "]}",
                mapped,
                null,
                0);
        int element = ((Types.ListType) first.schema().findType("tags")).elementId();
        assertThat(element).isGreaterThanOrEqualTo(IcebergSchemas.RESERVED_IDS);

        // Delta adds columns 3 and 4 (maxColumnId 4), one of them a map
        var second = IcebergSchemas.convert(
                "{\"type\":\"struct\",\"fields\":[" + field("id", "\"long\"", 1) + "," + field("tags", tags, 2) + ","
                        + field("note", "\"string\"", 3) + "," + field("attributes", attributes, 4) + "]}",
                Map.of("delta.columnMapping.mode", "name", "delta.columnMapping.maxColumnId", "4"),
                first.schema(),
                first.lastColumnId());
        assertThat(second.schema().findField("note").fieldId()).isEqualTo(3);
        assertThat(((Types.ListType) second.schema().findType("tags")).elementId())
                .as("kept")
                .isEqualTo(element);
        Types.MapType map = (Types.MapType) second.schema().findType("attributes");
        assertThat(map.keyId()).isGreaterThan(element);
        assertThat(map.valueId()).isGreaterThan(map.keyId());
        assertThat(second.lastColumnId()).isEqualTo(map.valueId());
        assertThat(second.schema().highestFieldId()).isEqualTo(map.valueId());
    }

    @Test
    void aColumnRenamedOnlyInCaseKeepsItsIdAndBothNames() {
        String before = "{\"type\":\"struct\",\"fields\":[{\"name\":\"id\",\"type\":\"long\",\"nullable\":true,"
                + "\"metadata\":{}},{\"name\":\"amount\",\"type\":\"double\",\"nullable\":true,\"metadata\":{}}]}";
        var first = IcebergSchemas.convert(before, Map.of(), null, 0);
        var second = IcebergSchemas.convert(before.replace("\"amount\"", "\"Amount\""), Map.of(), first.schema(), 2);
        assertThat(second.schema().findField("Amount").fieldId())
                .isEqualTo(first.schema().findField("amount").fieldId());
        MappedField mapped = NameMappings.keepingEarlier(second.nameMapping(), first.nameMapping())
                .find("amount");
        assertThat(mapped.id()).isEqualTo(second.schema().findField("Amount").fieldId());
        assertThat(mapped.names()).contains("Amount", "amount");
    }

    /**
     * A list or map column renamed under column mapping keeps its element's (key's, value's) id: it
     * is found by the column's own id, not by its path (before, the renamed path gave the element a
     * new id, and Iceberg's reader could not read the files of the versions before the rename).
     */
    @Test
    void aRenamedListOrMapColumnKeepsItsNestedIds() {
        Map<String, String> mapped = Map.of("delta.columnMapping.mode", "name", "delta.columnMapping.maxColumnId", "3");
        String tags = "{\"type\":\"array\",\"elementType\":\"long\",\"containsNull\":true}";
        String attributes =
                "{\"type\":\"map\",\"keyType\":\"string\",\"valueType\":\"long\",\"valueContainsNull\":true}";
        var before = IcebergSchemas.convert(
                "{\"type\":\"struct\",\"fields\":[" + field("id", "\"long\"", 1) + "," + field("tags", tags, 2) + ","
                        + field("attributes", attributes, 3) + "]}",
                mapped,
                null,
                0);
        var after = IcebergSchemas.convert(
                "{\"type\":\"struct\",\"fields\":[" + field("id", "\"long\"", 1) + "," + field("labels", tags, 2) + ","
                        + field("props", attributes, 3) + "]}",
                mapped,
                before.schema(),
                before.lastColumnId());
        assertThat(((Types.ListType) after.schema().findType("labels")).elementId())
                .isEqualTo(((Types.ListType) before.schema().findType("tags")).elementId());
        Types.MapType was = (Types.MapType) before.schema().findType("attributes");
        Types.MapType now = (Types.MapType) after.schema().findType("props");
        assertThat(List.of(now.keyId(), now.valueId())).isEqualTo(List.of(was.keyId(), was.valueId()));
        assertThat(after.lastColumnId()).isEqualTo(before.lastColumnId());
    }
}
