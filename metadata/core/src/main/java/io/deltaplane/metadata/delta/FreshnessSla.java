package io.deltaplane.metadata.delta;

import static io.deltaplane.metadata.MetadataErrors.invalidAction;

import io.deltaplane.support.problem.ApiException;
import io.deltaplane.support.problem.ErrorCode;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import tools.jackson.databind.JsonNode;

/**
 * {@code deltaplane.freshness.sla}: how long a table may go without a data commit before it is
 * late, in Delta's interval syntax ({@code interval 2 hours}). Set on a table (its metaData
 * configuration), its schema or its catalog (their properties); the nearest wins, and where none is
 * set the platform learns one from the table's commit history. A value no one could use is refused
 * where it is set, so a team never believes in an expectation the platform ignores.
 */
public final class FreshnessSla {

    /** The property, on a table, schema or catalog. */
    public static final String KEY = "deltaplane.freshness.sla";

    private FreshnessSla() {}

    /** A positive interval of one unit, at most a century; else empty. */
    public static Optional<Duration> parse(String value) {
        return DeltaTableProperties.interval(value)
                .filter(d -> !d.isZero() && !d.isNegative())
                .filter(d -> d.compareTo(DeltaTableProperties.MAX_RETENTION) <= 0);
    }

    /** A catalog's or schema's properties: 400 VALIDATION_FAILED when they set the key to something else. */
    public static void check(Map<String, String> properties) {
        if (properties != null
                && properties.containsKey(KEY)
                && parse(properties.get(KEY)).isEmpty()) {
            throw ApiException.badRequest(
                    ErrorCode.VALIDATION_FAILED, KEY + "='" + shown(properties.get(KEY)) + "' " + REASON);
        }
    }

    /** A metaData configuration: 400 INVALID_ACTION when it sets the key to something else. */
    public static void checkConfiguration(JsonNode configuration) {
        JsonNode node = configuration == null ? null : configuration.get(KEY);
        if (node != null
                && !node.isNull()
                && (!node.isString() || parse(node.stringValue()).isEmpty())) {
            throw invalidAction(KEY + "=" + shown(node.toString()) + " " + REASON);
        }
    }

    private static final String REASON =
            "is not valid: it is an interval of one unit such as 'interval 2 hours' (seconds to weeks), above zero";

    private static String shown(String value) {
        return value == null ? "null" : value.length() <= 40 ? value : value.substring(0, 40) + "…";
    }
}
