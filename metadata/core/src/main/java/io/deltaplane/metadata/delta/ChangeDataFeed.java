package io.deltaplane.metadata.delta;

import static io.deltaplane.metadata.MetadataErrors.invalidAction;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Delta's change data feed ({@code changeDataFeed}, {@code delta.enableChangeDataFeed}): writers
 * add {@code cdc} actions naming change-data files (rows with a {@code _change_type} column) beside
 * a version's adds and removes. The catalog checks them like adds (a path inside the table, under
 * {@code _change_data/}, where VACUUM never deletes; the partition columns' values; {@code
 * dataChange} false), stores and publishes them with the version, and leaves them out of snapshots
 * and checkpoints, as the protocol says. A version's change files are what Delta's CDF reader
 * selects ({@link #changeFiles}).
 */
public final class ChangeDataFeed {

    public static final String FEATURE = "changeDataFeed";
    public static final String ENABLE_PROPERTY = "delta.enableChangeDataFeed";

    /** Where change-data files live (a hidden directory: no snapshot lists it, VACUUM leaves it). */
    public static final String DIRECTORY = "_change_data/";

    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** One file a change-feed reader reads for a version, and what its rows are. */
    public record ChangeFile(String path, String changeType, Map<String, String> partitionValues, long size) {}

    private ChangeDataFeed() {}

    /** Checks one {@code cdc} action's body; returns it for the log. */
    static String check(JsonNode cdc, String location, List<String> partitionKeys) {
        String path = cdc.path("path").isString() ? cdc.get("path").asString() : null;
        if (path == null || path.isEmpty()) {
            throw invalidAction("cdc needs a path");
        }
        TablePaths.check(location, path);
        if (!path.startsWith(DIRECTORY)) {
            throw invalidAction("cdc " + path + " must lie under " + DIRECTORY + " (where change data lives)");
        }
        if (!cdc.path("size").isIntegralNumber() || cdc.get("size").asLong() < 0) {
            throw invalidAction("cdc " + path + " needs a non-negative size");
        }
        if (!cdc.path("dataChange").isBoolean() || cdc.get("dataChange").asBoolean()) {
            throw invalidAction("cdc " + path + " must have dataChange false");
        }
        ActionParser.checkPartitionValues("cdc", path, cdc.get("partitionValues"), partitionKeys);
        return cdc.toString();
    }

    /** Whether a configuration turns the change data feed on. */
    public static boolean enabled(JsonNode configuration) {
        return configuration != null
                && "true"
                        .equalsIgnoreCase(
                                configuration.path(ENABLE_PROPERTY).asString("").strip());
    }

    /**
     * Change data is written only to a table whose protocol has the feature, and {@code cdc}
     * actions only while the feed is on: the commit's metaData, else the table's configuration.
     */
    public static void requireFeature(
            CommitActions actions, Supplier<JsonNode> currentProtocol, Supplier<JsonNode> currentConfiguration) {
        boolean enables =
                actions.metadata() != null && enabled(actions.metadata().get("configuration"));
        if (enables) {
            JsonNode protocol = actions.protocol() != null ? actions.protocol().json() : currentProtocol.get();
            if (!inProtocol(protocol)) {
                throw invalidAction(ENABLE_PROPERTY + "=true needs the changeDataFeed writer feature in the"
                        + " protocol (or minWriterVersion 4 to 6)");
            }
        }
        if (actions.changeData() > 0) {
            boolean on = actions.metadata() != null
                    ? enabled(actions.metadata().get("configuration"))
                    : enabled(currentConfiguration.get());
            if (!on) {
                throw invalidAction("cdc actions are written only while " + ENABLE_PROPERTY + "=true");
            }
        }
    }

    private static boolean inProtocol(JsonNode protocol) {
        int writer = protocol.path("minWriterVersion").asInt();
        if (writer >= 4 && writer <= 6) {
            return true;
        }
        for (JsonNode feature : protocol.path("writerFeatures")) {
            if (FEATURE.equals(feature.asString())) {
                return true;
            }
        }
        return false;
    }

    /**
     * The files Delta's change-feed reader reads for one version, from its log entry: its {@code
     * cdc} files when it has any (their rows say insert, delete, update_preimage or
     * update_postimage in {@code _change_type}); otherwise its adds ({@code insert}) and removes
     * ({@code delete}) that change data. Versions that change no data have none.
     */
    public static List<ChangeFile> changeFiles(String actionsJson) {
        JsonNode actions = JSON.readTree(actionsJson);
        List<ChangeFile> cdc = new ArrayList<>();
        List<ChangeFile> data = new ArrayList<>();
        for (JsonNode action : actions) {
            if (action.has("cdc")) {
                cdc.add(file(action.get("cdc"), "cdc"));
            } else if (action.has("add") && action.get("add").path("dataChange").asBoolean(true)) {
                data.add(file(action.get("add"), "insert"));
            } else if (action.has("remove")
                    && action.get("remove").path("dataChange").asBoolean(true)) {
                data.add(file(action.get("remove"), "delete"));
            }
        }
        return cdc.isEmpty() ? data : cdc;
    }

    private static ChangeFile file(JsonNode body, String changeType) {
        Map<String, String> values = new LinkedHashMap<>();
        body.path("partitionValues")
                .properties()
                .forEach(e -> values.put(
                        e.getKey(), e.getValue().isNull() ? null : e.getValue().asString()));
        return new ChangeFile(
                body.path("path").asString(),
                changeType,
                values,
                body.path("size").asLong());
    }
}
