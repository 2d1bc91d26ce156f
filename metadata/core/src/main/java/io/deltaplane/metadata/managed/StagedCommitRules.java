package io.deltaplane.metadata.managed;

import static java.util.Objects.requireNonNull;

import io.deltaplane.metadata.MetadataErrors;
import io.deltaplane.metadata.deltalog.DeltaLogJson;
import io.deltaplane.metadata.table.TableRow;
import io.deltaplane.support.problem.ApiException;
import io.deltaplane.support.problem.ErrorCode;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * What a catalog checks of a staged commit before the Delta rules every commit meets: the bytes are
 * UTF-8 JSON lines; the first action is a commitInfo with an In-Commit Timestamp after the previous
 * version's and not beyond the catalog's clock plus {@link CatalogManagedProperties#maxClockSkew};
 * a protocol keeps {@code catalogManaged} and {@code inCommitTimestamp}; a metaData keeps In-Commit
 * Timestamps on and the table's UC id.
 */
@Component
public class StagedCommitRules {

    /** The table property that names a catalog-managed table's UC id. */
    public static final String UNITY_TABLE_ID = "io.unitycatalog.tableId";

    public static final String CATALOG_MANAGED = "catalogManaged";
    public static final String IN_COMMIT_TIMESTAMP = "inCommitTimestamp";
    public static final String ENABLE_IN_COMMIT_TIMESTAMPS = "delta.enableInCommitTimestamps";

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final CatalogManagedProperties properties;
    private final Clock clock;

    public StagedCommitRules(CatalogManagedProperties properties, Clock clock) {
        this.properties = requireNonNull(properties, "properties");
        this.clock = requireNonNull(clock, "clock");
    }

    /**
     * Checks {@code actions} as the next version of {@code table}, registered with UC id {@code
     * unityId}; returns the commit's In-Commit Timestamp.
     *
     * @throws ApiException 400 naming the rule the commit breaks
     */
    public long check(TableRow table, UUID unityId, List<JsonNode> actions) {
        long ict = inCommitTimestamp(actions);
        long previous = table.lastCommittedAt().toEpochMilli();
        if (ict <= previous) {
            throw invalid(
                    "the In-Commit Timestamp " + Instant.ofEpochMilli(ict) + " (" + ict + ") is not after version "
                            + table.currentVersion() + "'s (" + previous + "): In-Commit Timestamps strictly increase");
        }
        Instant latest = clock.instant().plus(properties.maxClockSkew());
        if (ict > latest.toEpochMilli()) {
            throw invalid("the In-Commit Timestamp " + Instant.ofEpochMilli(ict) + " lies beyond the catalog's clock"
                    + " plus the allowed skew (" + properties.maxClockSkew() + "): every later version would have"
                    + " to be stamped after it");
        }
        for (JsonNode action : actions) {
            JsonNode protocol = action.get("protocol");
            if (protocol != null) {
                if (!has(protocol.path("writerFeatures"), CATALOG_MANAGED)
                        || !has(protocol.path("readerFeatures"), CATALOG_MANAGED)
                        || !has(protocol.path("writerFeatures"), IN_COMMIT_TIMESTAMP)) {
                    throw invalid("a catalog-managed table keeps the " + CATALOG_MANAGED + " reader and writer"
                            + " features and the " + IN_COMMIT_TIMESTAMP + " writer feature in every protocol");
                }
            }
            JsonNode metaData = action.get("metaData");
            if (metaData != null) {
                JsonNode configuration = metaData.path("configuration");
                if (!unityId.toString()
                        .equals(configuration.path(UNITY_TABLE_ID).asString(""))) {
                    throw invalid(
                            "a catalog-managed table keeps " + UNITY_TABLE_ID + "=" + unityId + " in every metaData");
                }
                if (!"true"
                        .equals(configuration.path(ENABLE_IN_COMMIT_TIMESTAMPS).asString(""))) {
                    throw invalid("a catalog-managed table keeps " + ENABLE_IN_COMMIT_TIMESTAMPS + "=true");
                }
            }
        }
        return ict;
    }

    /** The In-Commit Timestamp of a commit whose first action is its commitInfo, as the protocol places it. */
    static long inCommitTimestamp(List<JsonNode> actions) {
        JsonNode first = actions.isEmpty() ? null : actions.get(0).get("commitInfo");
        JsonNode ict = first == null ? null : first.get("inCommitTimestamp");
        if (ict == null || !ict.isIntegralNumber() || !ict.canConvertToLong()) {
            throw invalid("a catalog-managed commit starts with a commitInfo that has an integer inCommitTimestamp");
        }
        return ict.asLong();
    }

    /**
     * The actions of a commit file: one JSON object per line, the bytes strict UTF-8.
     *
     * @throws ApiException 400 INVALID_ACTION when the bytes are not UTF-8 or a line is not a JSON object
     */
    public static List<JsonNode> actions(byte[] content) {
        try {
            return DeltaLogJson.actions(content);
        } catch (IllegalArgumentException e) {
            throw MetadataErrors.invalidAction(e.getMessage());
        }
    }

    private static boolean has(JsonNode list, String feature) {
        for (JsonNode f : list) {
            if (feature.equals(f.asString(""))) {
                return true;
            }
        }
        return false;
    }

    private static ApiException invalid(String detail) {
        return ApiException.badRequest(ErrorCode.VALIDATION_FAILED, detail);
    }

    /** Version 0 must make the table catalog-managed, and name the UC id it was staged with. */
    static void requireCatalogManaged(List<JsonNode> actions, UUID unityId) {
        boolean feature = false;
        String declared = null;
        for (JsonNode action : actions) {
            for (JsonNode f : action.path("protocol").path("writerFeatures")) {
                feature |= CATALOG_MANAGED.equals(f.asString());
            }
            JsonNode id = action.path("metaData").path("configuration").get(UNITY_TABLE_ID);
            if (id != null) {
                declared = id.asString();
            }
        }
        if (!feature || !unityId.toString().equals(declared)) {
            throw ApiException.badRequest(
                    ErrorCode.VALIDATION_FAILED,
                    "Version 0 of a staged table must have the catalogManaged feature and " + UNITY_TABLE_ID + "="
                            + unityId);
        }
    }
}
