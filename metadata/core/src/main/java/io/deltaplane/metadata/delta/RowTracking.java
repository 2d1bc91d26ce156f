package io.deltaplane.metadata.delta;

import static io.deltaplane.metadata.MetadataErrors.invalidAction;

import io.deltaplane.metadata.delta.CommitActions.AddFile;
import io.deltaplane.metadata.delta.CommitActions.DomainMetadata;
import io.deltaplane.metadata.delta.CommitActions.RemoveFile;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Delta's Row Tracking ({@code rowTracking} writer feature) as the catalog enforces it: while the
 * feature is supported and not suspended ({@code delta.rowTrackingSuspended}), every {@code add}
 * carries a {@code baseRowId} and a {@code defaultRowCommitVersion}; a fresh file's row ids lie above
 * the table's high-water mark (the {@code delta.rowTracking} domain's {@code rowIdHighWaterMark}),
 * do not overlap, and the commit raises the mark to cover them; a file re-added in the commit that
 * removes it (a deletion vector update) keeps its ids; the mark never goes down. Adds that carry no
 * ids — the platform's own writers, {@code /api/v1} clients — are given them here, from the mark
 * and each file's {@code numRecords} statistic, with the commit's version as their commit version;
 * an engine's bytes (staged commits) must carry them already, since they are published as written.
 * Enabling ({@code delta.enableRowTracking=true}) needs the feature, the two materialized column
 * names, and ids on every live file.
 */
public final class RowTracking {

    public static final String FEATURE = "rowTracking";
    public static final String DOMAIN = "delta.rowTracking";
    public static final String ENABLE_PROPERTY = "delta.enableRowTracking";
    public static final String SUSPENDED_PROPERTY = "delta.rowTrackingSuspended";
    public static final String MATERIALIZED_ROW_ID = "delta.rowTracking.materializedRowIdColumnName";
    public static final String MATERIALIZED_ROW_COMMIT_VERSION =
            "delta.rowTracking.materializedRowCommitVersionColumnName";
    static final String HIGH_WATER_MARK = "rowIdHighWaterMark";

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private RowTracking() {}

    /** What the stored table says, read only when the commit needs it. */
    public interface StoredState {

        /** The latest protocol action. */
        JsonNode protocol();

        /** The latest metaData's configuration. */
        JsonNode configuration();

        /** The current {@code rowIdHighWaterMark}, or -1 when no id was ever assigned. */
        long highWaterMark();

        /** The live add of each of these paths (their stored JSON), by path. */
        Map<String, JsonNode> liveAdds(List<String> paths);

        /** How many live files carry no {@code baseRowId}. */
        long liveFilesWithoutRowIds();
    }

    /** Whether a protocol action lists the feature among its writer features. */
    public static boolean supported(JsonNode protocol) {
        for (JsonNode feature : protocol.path("writerFeatures")) {
            if (FEATURE.equals(feature.asString(null))) {
                return true;
            }
        }
        return false;
    }

    /**
     * The commit's actions with every add's row ids in place (assigned where missing, unless the
     * actions are an engine's, {@link CommitActions#asWritten}) and the high-water mark raised as far as they reach; the actions unchanged
     * when the table does not track rows.
     *
     * @throws io.deltaplane.support.problem.ApiException 400 INVALID_ACTION naming the rule broken
     */
    public static CommitActions apply(CommitActions actions, long version, StoredState stored) {
        boolean assign = !actions.asWritten();
        JsonNode protocol = actions.protocol() != null ? actions.protocol().json() : null;
        JsonNode configuration = actions.metadata() != null ? actions.metadata().path("configuration") : null;
        boolean enables = configuration != null && isTrue(configuration.get(ENABLE_PROPERTY));
        boolean declaresMark =
                actions.domains().stream().anyMatch(d -> d.domain().equals(DOMAIN));
        if (actions.adds().isEmpty() && !enables && !declaresMark) {
            return actions; // nothing to assign or check
        }
        boolean supported = supported(protocol != null ? protocol : stored.protocol());
        if (!supported) {
            if (enables) {
                throw invalidAction(ENABLE_PROPERTY + "=true needs the " + FEATURE + " writer feature (with "
                        + "domainMetadata) in the table's protocol");
            }
            return actions;
        }
        if (configuration == null) {
            configuration = stored.configuration(); // read only for a table that can track row ids
        }
        if (configuration != null && isTrue(configuration.get(SUSPENDED_PROPERTY))) {
            if (enables) {
                throw invalidAction(SUSPENDED_PROPERTY + "=true and " + ENABLE_PROPERTY
                        + "=true together: row tracking cannot be suspended and enabled at once");
            }
            return actions; // writers assign no ids while suspended
        }
        if (enables) {
            checkEnablement(actions, stored);
        }
        return assignAndCheck(actions, version, stored, assign);
    }

    private static void checkEnablement(CommitActions actions, StoredState stored) {
        JsonNode configuration = actions.metadata().path("configuration");
        String rowIds = configuration.path(MATERIALIZED_ROW_ID).asString("");
        String versions = configuration.path(MATERIALIZED_ROW_COMMIT_VERSION).asString("");
        if (rowIds.isBlank() || versions.isBlank() || rowIds.equals(versions)) {
            throw invalidAction(ENABLE_PROPERTY + "=true needs two distinct materialized column names, "
                    + MATERIALIZED_ROW_ID + " and " + MATERIALIZED_ROW_COMMIT_VERSION);
        }
        for (DeltaSchema.Column column :
                DeltaSchema.parse(actions.metadata().path("schemaString").asString(""))) {
            if (column.name().equalsIgnoreCase(rowIds) || column.name().equalsIgnoreCase(versions)) {
                throw invalidAction("the materialized row tracking column " + column.name()
                        + " is also a column of the table's schema");
            }
        }
        if (stored.liveFilesWithoutRowIds() > 0) {
            // Replacing them with files that have ids (in this commit or before) is a backfill the
            // platform does not perform.
            throw invalidAction(ENABLE_PROPERTY + "=true on a table whose live files have no baseRowId: they"
                    + " need a backfill, which this platform does not perform");
        }
    }

    private static CommitActions assignAndCheck(
            CommitActions actions, long version, StoredState stored, boolean assign) {
        long storedMark = stored.highWaterMark();
        DomainMetadata declared = actions.domains().stream()
                .filter(d -> d.domain().equals(DOMAIN))
                .findFirst()
                .orElse(null);
        long declaredMark = declared == null ? -1 : declaredMark(declared);
        if (declared != null && declaredMark < storedMark) {
            throw invalidAction(DOMAIN + " lowers " + HIGH_WATER_MARK + " from " + storedMark + " to " + declaredMark
                    + ": it never goes down");
        }
        Set<String> removedHere = new HashSet<>();
        for (RemoveFile remove : actions.removes()) {
            removedHere.add(remove.path());
        }
        List<String> recommitted = actions.adds().stream()
                .map(AddFile::path)
                .filter(removedHere::contains)
                .toList();
        Map<String, JsonNode> previous = recommitted.isEmpty() ? Map.of() : stored.liveAdds(recommitted);
        long next = storedMark + 1;
        long reached = storedMark;
        List<long[]> fresh = new ArrayList<>();
        List<AddFile> adds = new ArrayList<>(actions.adds().size());
        boolean changed = false;
        for (AddFile add : actions.adds()) {
            ObjectNode json = (ObjectNode) JSON.readTree(add.json());
            JsonNode before = previous.get(add.path());
            boolean hasIds = json.hasNonNull("baseRowId") || json.hasNonNull("defaultRowCommitVersion");
            if (before != null && before.hasNonNull("baseRowId")) {
                // a file recommitted (a deletion vector update) keeps the ids of its last add
                if (!hasIds && assign) {
                    json.set("baseRowId", before.get("baseRowId"));
                    json.set("defaultRowCommitVersion", before.get("defaultRowCommitVersion"));
                    adds.add(new AddFile(add.path(), add.size(), json.toString(), add.deletionVector()));
                    changed = true;
                    continue;
                } else if (!before.get("baseRowId").equals(json.get("baseRowId"))
                        || !before.path("defaultRowCommitVersion").equals(json.get("defaultRowCommitVersion"))) {
                    throw invalidAction("add " + add.path() + " recommits a file: it keeps the baseRowId and"
                            + " defaultRowCommitVersion of its last add (" + before.get("baseRowId") + ", "
                            + before.path("defaultRowCommitVersion") + ")");
                }
                adds.add(add);
                continue;
            }
            long records = numRecords(add.path(), json);
            if (!hasIds) {
                if (!assign) {
                    throw invalidAction("add " + add.path() + " has no baseRowId and defaultRowCommitVersion: the "
                            + FEATURE + " feature makes every writer assign them, and an engine's commit is"
                            + " published as written");
                }
                json.put("baseRowId", next);
                json.put("defaultRowCommitVersion", version);
                fresh.add(new long[] {next, next + records - 1});
                next += Math.max(records, 1);
                reached = Math.max(reached, next - 1);
                adds.add(new AddFile(add.path(), add.size(), json.toString(), add.deletionVector()));
                changed = true;
                continue;
            }
            long base = requireId(add.path(), json, "baseRowId");
            long commitVersion = requireId(add.path(), json, "defaultRowCommitVersion");
            if (commitVersion > version) {
                throw invalidAction("add " + add.path() + " has defaultRowCommitVersion " + commitVersion
                        + " beyond the version it is committed in, " + version);
            }
            if (base <= storedMark) {
                throw invalidAction("add " + add.path() + " has baseRowId " + base + ", at or below the table's "
                        + HIGH_WATER_MARK + " " + storedMark + ": fresh row ids lie above it");
            }
            fresh.add(new long[] {base, base + records - 1});
            reached = Math.max(reached, base + records - 1);
            adds.add(add);
        }
        checkNoOverlap(fresh);
        if (declared != null && declaredMark < reached) {
            throw invalidAction(DOMAIN + " sets " + HIGH_WATER_MARK + " " + declaredMark + " below the row ids the"
                    + " commit assigns (up to " + reached + ")");
        }
        if (declared == null && reached > storedMark && !(assign && changed)) {
            throw invalidAction("the commit assigns row ids up to " + reached + " without raising " + HIGH_WATER_MARK
                    + ": it needs a domainMetadata for " + DOMAIN);
        }
        if (!changed) {
            return actions;
        }
        DomainMetadata mark = declared != null && declaredMark >= reached
                ? declared
                : new DomainMetadata(DOMAIN, "{\"" + HIGH_WATER_MARK + "\":" + reached + "}", false);
        return replace(actions, adds, reached > storedMark ? mark : declared);
    }

    private static void checkNoOverlap(List<long[]> ranges) {
        ranges.sort((a, b) -> Long.compare(a[0], b[0]));
        for (int i = 1; i < ranges.size(); i++) {
            if (ranges.get(i)[0] <= ranges.get(i - 1)[1]) {
                throw invalidAction("two adds of the commit share row ids from " + ranges.get(i)[0]
                        + ": fresh row ids are unique in the table");
            }
        }
    }

    /** The adds with their ids and the high-water mark's domain, in the order and shape the request had. */
    private static CommitActions replace(CommitActions actions, List<AddFile> adds, DomainMetadata mark) {
        List<String> ordered = new ArrayList<>(actions.actions().size() + 1);
        int add = 0;
        boolean markWritten = false;
        for (String action : actions.actions()) {
            if (action.startsWith("{\"add\":")) {
                ordered.add("{\"add\":" + adds.get(add++).json() + "}");
            } else if (mark != null && action.startsWith("{\"domainMetadata\":") && isMark(action)) {
                ordered.add(domainJson(mark));
                markWritten = true;
            } else {
                ordered.add(action);
            }
        }
        List<DomainMetadata> domains = new ArrayList<>();
        for (DomainMetadata d : actions.domains()) {
            if (!d.domain().equals(DOMAIN)) {
                domains.add(d);
            }
        }
        if (mark != null) {
            domains.add(mark);
            if (!markWritten) {
                ordered.add(domainJson(mark));
            }
        } else {
            actions.domains().stream().filter(d -> d.domain().equals(DOMAIN)).forEach(domains::add);
        }
        return new CommitActions(
                ordered,
                actions.commitInfo(),
                adds,
                actions.removes(),
                actions.metadata(),
                actions.protocol(),
                actions.txns(),
                domains,
                actions.asWritten(),
                actions.changeData());
    }

    private static boolean isMark(String action) {
        return DOMAIN.equals(
                JSON.readTree(action).path("domainMetadata").path("domain").asString(""));
    }

    private static String domainJson(DomainMetadata domain) {
        ObjectNode body = JSON.createObjectNode();
        body.put("domain", domain.domain());
        body.put("configuration", domain.configuration());
        body.put("removed", domain.removed());
        ObjectNode action = JSON.createObjectNode();
        action.set("domainMetadata", body);
        return action.toString();
    }

    private static long declaredMark(DomainMetadata domain) {
        if (domain.removed()) {
            throw invalidAction(DOMAIN + " cannot be removed while the table tracks rows");
        }
        JsonNode mark;
        try {
            mark = JSON.readTree(domain.configuration()).get(HIGH_WATER_MARK);
        } catch (RuntimeException e) {
            mark = null;
        }
        if (mark == null || !mark.isIntegralNumber() || !mark.canConvertToLong() || mark.asLong() < -1) {
            throw invalidAction(DOMAIN + " configuration must be {\"" + HIGH_WATER_MARK + "\": <row id>}");
        }
        return mark.asLong();
    }

    /** The high-water mark a stored {@code delta.rowTracking} configuration holds. */
    public static long storedMark(String configuration) {
        if (configuration == null) {
            return -1;
        }
        JsonNode mark = JSON.readTree(configuration).get(HIGH_WATER_MARK);
        return mark != null && mark.canConvertToLong() ? mark.asLong() : -1;
    }

    private static long numRecords(String path, JsonNode add) {
        JsonNode stats = add.get("stats");
        JsonNode records = null;
        if (stats != null && stats.isString()) {
            try {
                records = JSON.readTree(stats.stringValue()).get("numRecords");
            } catch (RuntimeException e) {
                records = null;
            }
        }
        if (records == null || !records.isIntegralNumber() || records.asLong() < 0) {
            throw invalidAction("add " + path + " needs stats with numRecords: the " + FEATURE + " feature gives each"
                    + " row of a file its own id, so the catalog must know how many rows it holds");
        }
        return records.asLong();
    }

    private static long requireId(String path, JsonNode add, String field) {
        JsonNode value = add.get(field);
        if (value == null || !value.isIntegralNumber() || !value.canConvertToLong() || value.asLong() < 0) {
            throw invalidAction(
                    "add " + path + " needs a non-negative integer " + field + " (the " + FEATURE + " feature)");
        }
        return value.asLong();
    }

    private static boolean isTrue(JsonNode value) {
        return value != null && value.isString() && value.stringValue().strip().equalsIgnoreCase("true");
    }
}
