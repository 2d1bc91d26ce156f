package io.deltaplane.metadata.delta;

import static io.deltaplane.metadata.MetadataErrors.invalidAction;

import io.deltaplane.metadata.delta.CommitActions.AddFile;
import io.deltaplane.metadata.delta.CommitActions.DomainMetadata;
import io.deltaplane.metadata.delta.CommitActions.Protocol;
import io.deltaplane.metadata.delta.CommitActions.RemoveFile;
import io.deltaplane.metadata.delta.CommitActions.Txn;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Parses and validates the Delta actions of a commit against the table's state (location,
 * partition columns, id). Every rule here is a 400 INVALID_ACTION before anything is written; rules
 * that need the stored state under lock (remove of an inactive file, protocol downgrade, re-adding a
 * live path) are enforced by the commit itself.
 */
public final class ActionParser {

    /** What the parser needs to know about the table. */
    /**
     * What a commit is validated against: the table's id, location, partition columns and the keys
     * its partitionValues use (the partition columns' physical names under column mapping).
     */
    public record TableState(UUID tableId, String location, List<String> partitionColumns, List<String> partitionKeys) {

        /** A table without column mapping: its partitionValues are keyed by the partition columns. */
        public TableState(UUID tableId, String location, List<String> partitionColumns) {
            this(tableId, location, partitionColumns, partitionColumns);
        }
    }

    private static final Set<String> KINDS =
            Set.of("add", "remove", "metaData", "protocol", "txn", "commitInfo", "domainMetadata", "cdc");

    private ActionParser() {}

    public static CommitActions parse(List<JsonNode> actions, TableState table) {
        if (actions == null) {
            throw invalidAction("actions is required");
        }
        // metaData first: adds are checked against the partition columns it sets.
        ObjectNode metadata = null;
        for (JsonNode action : actions) {
            JsonNode body = action == null ? null : action.get("metaData");
            if (body != null && action.size() == 1) {
                if (metadata != null) {
                    throw invalidAction("a commit may carry at most one metaData action");
                }
                if (!body.isObject()) {
                    throw invalidAction("metaData must be an object");
                }
                metadata = normaliseMetadata((ObjectNode) body, table.tableId());
            }
        }
        List<String> partitionColumns =
                metadata == null ? table.partitionKeys() : ColumnMapping.partitionKeys(metadata);
        List<String> ordered = new ArrayList<>(actions.size());
        List<AddFile> adds = new ArrayList<>();
        Set<String> added = new HashSet<>();
        List<RemoveFile> removes = new ArrayList<>();
        List<Txn> txns = new ArrayList<>();
        List<DomainMetadata> domains = new ArrayList<>();
        Protocol protocol = null;
        ObjectNode commitInfo = null;
        Set<String> removed = new HashSet<>();
        Set<String> apps = new HashSet<>();
        Set<String> domainNames = new HashSet<>();
        int changeData = 0;

        for (JsonNode action : actions) {
            if (action == null || !action.isObject() || action.size() != 1) {
                throw invalidAction("each action must be an object with exactly one key, e.g. {\"add\":{…}}");
            }
            Map.Entry<String, JsonNode> entry = action.properties().iterator().next();
            String kind = entry.getKey();
            JsonNode body = entry.getValue();
            if (!KINDS.contains(kind)) {
                throw invalidAction("unknown action " + kind + "; expected one of " + KINDS);
            }
            if (!body.isObject()) {
                throw invalidAction(kind + " must be an object");
            }
            ObjectNode content = (ObjectNode) body;
            switch (kind) {
                case "add" -> {
                    AddFile add = parseAdd(content, table.location(), partitionColumns, added);
                    adds.add(add);
                    ordered.add("{\"add\":" + add.json() + "}");
                    continue; // serialised once
                }
                case "remove" -> {
                    String path = requireString(content, "path", kind);
                    TablePaths.check(table.location(), path);
                    boolean dataChange = requireBoolean(content, "dataChange", kind);
                    optionalLong(content, "deletionTimestamp", kind);
                    Long size = optionalLong(content, "size", kind);
                    if (size != null && size < 0) {
                        throw invalidAction("remove " + path + " has a negative size");
                    }
                    if (!removed.add(path)) {
                        throw invalidAction("remove of " + path + " appears twice in one commit");
                    }
                    boolean vector = DeletionVectors.check(content, kind, path, table.location());
                    removes.add(new RemoveFile(path, dataChange, vector));
                }
                case "metaData" -> {
                    // parsed above
                }
                case "cdc" -> {
                    ChangeDataFeed.check(content, table.location(), partitionColumns);
                    changeData++;
                }
                case "protocol" -> {
                    if (protocol != null) {
                        throw invalidAction("a commit may carry at most one protocol action");
                    }
                    protocol = ProtocolRules.parse(content);
                }
                case "txn" -> {
                    String appId = requireString(content, "appId", kind);
                    long version = requireLong(content, "version", kind);
                    Long lastUpdated = optionalLong(content, "lastUpdated", kind);
                    if (!apps.add(appId)) {
                        throw invalidAction("txn for appId " + appId + " appears twice in one commit");
                    }
                    txns.add(new Txn(appId, version, lastUpdated));
                }
                case "domainMetadata" -> {
                    String domain = requireString(content, "domain", kind);
                    String configuration = requireString(content, "configuration", kind);
                    boolean isRemoved = requireBoolean(content, "removed", kind);
                    if (!domainNames.add(domain)) {
                        throw invalidAction("domainMetadata for " + domain + " appears twice in one commit");
                    }
                    domains.add(new DomainMetadata(domain, configuration, isRemoved));
                }
                case "commitInfo" -> {
                    if (commitInfo != null) {
                        throw invalidAction("a commit may carry at most one commitInfo action");
                    }
                    CommitActions.lineageRun(content); // a malformed run id is the client's mistake: 4xx
                    commitInfo = content;
                    continue; // the service writes commitInfo itself, first
                }
                default -> throw new IllegalStateException(kind);
            }
            ordered.add(action.toString());
        }
        return new CommitActions(
                ordered, commitInfo, adds, removes, metadata, protocol, txns, domains, false, changeData);
    }

    private static AddFile parseAdd(ObjectNode add, String location, List<String> partitionColumns, Set<String> seen) {
        String path = requireString(add, "path", "add");
        TablePaths.check(location, path);
        if (!seen.add(path)) {
            throw invalidAction("add of " + path + " appears twice in one commit");
        }
        long size = requireLong(add, "size", "add");
        if (size < 0) {
            throw invalidAction("add " + path + " has a negative size");
        }
        long modificationTime = requireLong(add, "modificationTime", "add");
        if (modificationTime < 0) {
            throw invalidAction("add " + path + " has a negative modificationTime");
        }
        requireBoolean(add, "dataChange", "add");
        checkPartitionValues("add", path, add.get("partitionValues"), partitionColumns);
        boolean vector = DeletionVectors.check(add, "add", path, location);
        JsonNode stats = add.get("stats");
        if (stats != null && !stats.isNull() && !stats.isString()) {
            throw invalidAction("add " + path + " stats must be a JSON-encoded string");
        }
        JsonNode tags = add.get("tags");
        if (tags != null && !tags.isNull() && !tags.isObject()) {
            throw invalidAction("add " + path + " tags must be an object");
        }
        return new AddFile(path, size, add.toString(), vector);
    }

    /**
     * An add's or cdc's {@code partitionValues}: an object keyed by exactly {@code keys} (the
     * partition columns, their physical names under column mapping), each value a string or null.
     */
    static void checkPartitionValues(String kind, String path, JsonNode values, List<String> keys) {
        if (values == null || !values.isObject()) {
            throw invalidAction(kind + " " + path + " needs a partitionValues object");
        }
        Set<String> named = new HashSet<>(values.propertyNames());
        if (!named.equals(new HashSet<>(keys))) {
            throw invalidAction(kind + " " + path + " has partitionValues " + named + " but the partition columns are "
                    + keys + " (their physical names under column mapping)");
        }
        for (JsonNode value : values) {
            if (!value.isNull() && !value.isString()) {
                throw invalidAction(kind + " " + path + " partition values must be strings or null");
            }
        }
    }

    /** Validates a metaData action and fills what the protocol requires (id, format, configuration). */
    public static ObjectNode normaliseMetadata(ObjectNode metadata, UUID tableId) {
        JsonNode id = metadata.get("id");
        if (id != null && !(id.isString() && id.stringValue().equals(tableId.toString()))) {
            throw invalidAction("metaData.id must be the table id " + tableId);
        }
        metadata.put("id", tableId.toString());
        String schemaString = requireString(metadata, "schemaString", "metaData");
        List<DeltaSchema.Column> columns = DeltaSchema.parse(schemaString);
        JsonNode partitionColumns = metadata.get("partitionColumns");
        if (partitionColumns == null) {
            metadata.putArray("partitionColumns");
        }
        DeltaSchema.checkPartitionColumns(
                columns, stringList(metadata.get("partitionColumns"), "metaData.partitionColumns"));
        ColumnMapping.check(metadata);
        JsonNode format = metadata.get("format");
        if (format == null) {
            ObjectNode f = metadata.putObject("format");
            f.put("provider", "parquet");
            f.putObject("options");
        } else if (!format.isObject() || !"parquet".equals(textOrNull(format.get("provider")))) {
            throw invalidAction("metaData.format.provider must be parquet");
        } else if (format.get("options") == null) {
            ((ObjectNode) format).putObject("options");
        }
        JsonNode configuration = metadata.get("configuration");
        if (configuration == null) {
            metadata.putObject("configuration");
        } else {
            if (!configuration.isObject()) {
                throw invalidAction("metaData.configuration must be an object of strings");
            }
            for (JsonNode value : configuration) {
                if (!value.isString()) {
                    throw invalidAction("metaData.configuration values must be strings");
                }
            }
            UnimplementedFeatures.checkConfiguration(configuration);
            DeltaTableProperties.checkpointInterval(configuration);
            DeltaTableProperties.targetFileSize(configuration);
            DeltaTableProperties.checkRetentions(configuration);
            FreshnessSla.checkConfiguration(configuration);
        }
        optionalLong(metadata, "createdTime", "metaData");
        return metadata;
    }

    /** The Delta metaData object of a new table. */
    public static ObjectNode newMetadata(
            UUID tableId,
            String schemaString,
            List<String> partitionColumns,
            Map<String, String> configuration,
            String description,
            long createdTime) {
        ObjectNode metadata = JsonNodeFactory.instance.objectNode();
        metadata.put("id", tableId.toString());
        if (description != null) {
            metadata.put("description", description);
        }
        ObjectNode format = metadata.putObject("format");
        format.put("provider", "parquet");
        format.putObject("options");
        metadata.put("schemaString", schemaString);
        var columns = metadata.putArray("partitionColumns");
        partitionColumns.forEach(columns::add);
        ObjectNode config = metadata.putObject("configuration");
        configuration.forEach(config::put);
        metadata.put("createdTime", createdTime);
        return normaliseMetadata(metadata, tableId);
    }

    public static List<String> stringList(JsonNode node, String where) {
        if (node == null || !node.isArray()) {
            throw invalidAction(where + " must be an array of strings");
        }
        List<String> list = new ArrayList<>(node.size());
        for (JsonNode item : node) {
            if (!item.isString()) {
                throw invalidAction(where + " must be an array of strings");
            }
            list.add(item.stringValue());
        }
        return list;
    }

    private static String requireString(JsonNode node, String field, String kind) {
        JsonNode value = node.get(field);
        if (value == null || !value.isString() || value.stringValue().isEmpty()) {
            throw invalidAction(kind + "." + field + " must be a non-empty string");
        }
        return value.stringValue();
    }

    static long requireLong(JsonNode node, String field, String kind) {
        Long value = optionalLong(node, field, kind);
        if (value == null) {
            throw invalidAction(kind + "." + field + " is required");
        }
        return value;
    }

    private static Long optionalLong(JsonNode node, String field, String kind) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isIntegralNumber() || !value.canConvertToLong()) {
            throw invalidAction(kind + "." + field + " must be an integer");
        }
        return value.longValue();
    }

    private static boolean requireBoolean(JsonNode node, String field, String kind) {
        JsonNode value = node.get(field);
        if (value == null || !value.isBoolean()) {
            throw invalidAction(kind + "." + field + " must be a boolean");
        }
        return value.booleanValue();
    }

    private static String textOrNull(JsonNode node) {
        return node != null && node.isString() ? node.stringValue() : null;
    }
}
