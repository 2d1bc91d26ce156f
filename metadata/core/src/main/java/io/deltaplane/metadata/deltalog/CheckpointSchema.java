package io.deltaplane.metadata.deltalog;

import static org.apache.parquet.schema.LogicalTypeAnnotation.listType;
import static org.apache.parquet.schema.LogicalTypeAnnotation.mapType;
import static org.apache.parquet.schema.LogicalTypeAnnotation.stringType;
import static org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName.BINARY;
import static org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName.BOOLEAN;
import static org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName.INT32;
import static org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName.INT64;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.hadoop.api.WriteSupport;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.io.api.RecordConsumer;
import org.apache.parquet.schema.GroupType;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.Type;
import org.apache.parquet.schema.Types;
import tools.jackson.databind.JsonNode;

/**
 * The classic checkpoint schema of the Delta protocol (one nullable column per action kind; a row
 * carries exactly one action), and a {@link WriteSupport} that writes an action given as its Delta
 * JSON object, driven by the schema: a JSON field the schema does not name is not written, a
 * missing or null one is null.
 */
final class CheckpointSchema {

    /** One checkpoint row: {@code kind} is the action's column ("add", "metaData", …). */
    record Action(String kind, JsonNode body) {}

    static final MessageType SCHEMA = new MessageType(
            "checkpoint",
            struct("txn", string("appId"), int64("version"), int64("lastUpdated")),
            struct(
                    "add",
                    string("path"),
                    stringMap("partitionValues"),
                    int64("size"),
                    int64("modificationTime"),
                    bool("dataChange"),
                    string("stats"),
                    stringMap("tags"),
                    deletionVector(),
                    int64("baseRowId"),
                    int64("defaultRowCommitVersion"),
                    string("clusteringProvider")),
            struct(
                    "remove",
                    string("path"),
                    int64("deletionTimestamp"),
                    bool("dataChange"),
                    bool("extendedFileMetadata"),
                    stringMap("partitionValues"),
                    int64("size"),
                    string("stats"),
                    stringMap("tags"),
                    deletionVector(),
                    int64("baseRowId"),
                    int64("defaultRowCommitVersion")),
            struct(
                    "metaData",
                    string("id"),
                    string("name"),
                    string("description"),
                    struct("format", string("provider"), stringMap("options")),
                    string("schemaString"),
                    stringList("partitionColumns"),
                    stringMap("configuration"),
                    int64("createdTime")),
            struct(
                    "protocol",
                    int32("minReaderVersion"),
                    int32("minWriterVersion"),
                    stringList("readerFeatures"),
                    stringList("writerFeatures")),
            struct("domainMetadata", string("domain"), string("configuration"), bool("removed")));

    /**
     * A V2-spec checkpoint's schema (tables with the {@code v2Checkpoint} feature): the classic
     * columns and {@code checkpointMetadata}, whose one row names the checkpoint's version. No
     * sidecars: the checkpoint holds every action itself.
     */
    static final MessageType SCHEMA_V2 = new MessageType(
            "checkpoint",
            concat(SCHEMA.getFields(), struct("checkpointMetadata", int64("version"), stringMap("tags"))));

    private static List<Type> concat(List<Type> fields, Type more) {
        List<Type> all = new ArrayList<>(fields);
        all.add(more);
        return all;
    }

    private CheckpointSchema() {}

    static final class Support extends WriteSupport<Action> {

        private final MessageType schema;
        private RecordConsumer out;

        Support(MessageType schema) {
            this.schema = schema;
        }

        @Override
        public WriteContext init(Configuration configuration) {
            return new WriteContext(schema, Map.of());
        }

        @Override
        public void prepareForWrite(RecordConsumer recordConsumer) {
            this.out = recordConsumer;
        }

        @Override
        public void write(Action action) {
            int index = schema.getFieldIndex(action.kind());
            out.startMessage();
            out.startField(action.kind(), index);
            writeValue(schema.getType(index), action.body());
            out.endField(action.kind(), index);
            out.endMessage();
        }

        private void writeFields(GroupType type, JsonNode object) {
            for (int i = 0; i < type.getFieldCount(); i++) {
                Type field = type.getType(i);
                JsonNode value = object.get(field.getName());
                if (value == null || value.isNull()) {
                    continue;
                }
                out.startField(field.getName(), i);
                writeValue(field, value);
                out.endField(field.getName(), i);
            }
        }

        private void writeValue(Type type, JsonNode value) {
            if (type.isPrimitive()) {
                switch (type.asPrimitiveType().getPrimitiveTypeName()) {
                    case BINARY ->
                        out.addBinary(Binary.fromString(value.isString() ? value.stringValue() : value.toString()));
                    case INT64 -> out.addLong(value.longValue());
                    case INT32 -> out.addInteger(value.intValue());
                    case BOOLEAN -> out.addBoolean(value.booleanValue());
                    default -> throw new IllegalStateException("not in the checkpoint schema: " + type);
                }
                return;
            }
            GroupType group = type.asGroupType();
            LogicalTypeAnnotation annotation = group.getLogicalTypeAnnotation();
            out.startGroup();
            if (annotation instanceof LogicalTypeAnnotation.MapLogicalTypeAnnotation) {
                if (!value.isEmpty()) {
                    out.startField("key_value", 0);
                    for (Map.Entry<String, JsonNode> entry : value.properties()) {
                        out.startGroup();
                        out.startField("key", 0);
                        out.addBinary(Binary.fromString(entry.getKey()));
                        out.endField("key", 0);
                        if (!entry.getValue().isNull()) {
                            out.startField("value", 1);
                            out.addBinary(Binary.fromString(entry.getValue().asString()));
                            out.endField("value", 1);
                        }
                        out.endGroup();
                    }
                    out.endField("key_value", 0);
                }
            } else if (annotation instanceof LogicalTypeAnnotation.ListLogicalTypeAnnotation) {
                if (!value.isEmpty()) {
                    Type element = group.getType(0).asGroupType().getType(0);
                    out.startField("list", 0);
                    for (JsonNode item : value) {
                        out.startGroup();
                        if (!item.isNull()) {
                            out.startField("element", 0);
                            writeValue(element, item);
                            out.endField("element", 0);
                        }
                        out.endGroup();
                    }
                    out.endField("list", 0);
                }
            } else {
                writeFields(group, value);
            }
            out.endGroup();
        }
    }

    private static Type string(String name) {
        return Types.optional(BINARY).as(stringType()).named(name);
    }

    private static Type int64(String name) {
        return Types.optional(INT64).named(name);
    }

    private static Type int32(String name) {
        return Types.optional(INT32).named(name);
    }

    private static Type bool(String name) {
        return Types.optional(BOOLEAN).named(name);
    }

    private static GroupType struct(String name, Type... fields) {
        return Types.optionalGroup().addFields(fields).named(name);
    }

    private static Type stringMap(String name) {
        return Types.optionalGroup()
                .as(mapType())
                .addField(Types.repeatedGroup()
                        .addField(Types.required(BINARY).as(stringType()).named("key"))
                        .addField(string("value"))
                        .named("key_value"))
                .named(name);
    }

    private static Type stringList(String name) {
        return Types.optionalGroup()
                .as(listType())
                .addField(Types.repeatedGroup().addField(string("element")).named("list"))
                .named(name);
    }

    private static Type deletionVector() {
        return struct(
                "deletionVector",
                string("storageType"),
                string("pathOrInlineDv"),
                int32("offset"),
                int32("sizeInBytes"),
                int64("cardinality"));
    }
}
