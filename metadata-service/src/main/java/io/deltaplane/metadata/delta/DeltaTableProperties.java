package io.deltaplane.metadata.delta;

import static io.deltaplane.metadata.MetadataErrors.invalidAction;

import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;

/** Delta table properties (a metaData action's {@code configuration}) the platform reads and checks. */
public final class DeltaTableProperties {

    /**
     * The table property that sets how many versions apart a table's checkpoints are (the Delta
     * protocol's {@code delta.checkpointInterval}): a positive 32-bit integer, as Delta's own writers
     * require; unset means the platform's configured interval.
     */
    public static final String CHECKPOINT_INTERVAL = "delta.checkpointInterval";

    private static final Pattern DIGITS = Pattern.compile("\\+?[0-9]+");

    /**
     * The checkpoint interval a metaData action's configuration sets ({@link #CHECKPOINT_INTERVAL}),
     * or null when it sets none (the configured interval applies). 400 INVALID_ACTION naming the
     * property when its value is not an integer from 1 to 2147483647 (what Delta's own writers accept:
     * an {@code int} above zero; anything larger is not an interval any engine could use).
     */
    public static Integer checkpointInterval(JsonNode configuration) {
        JsonNode node = configuration == null ? null : configuration.get(CHECKPOINT_INTERVAL);
        if (node == null || node.isNull()) {
            return null;
        }
        String value = node.isString() ? node.stringValue() : null;
        long interval = 0;
        if (value != null && DIGITS.matcher(value).matches()) {
            try {
                interval = Long.parseLong(value);
            } catch (NumberFormatException e) {
                interval = 0; // more digits than a long: refused below
            }
        }
        if (interval < 1 || interval > Integer.MAX_VALUE) {
            String shown = node.toString().length() <= 40
                    ? node.toString()
                    : node.toString().substring(0, 40) + "…";
            throw invalidAction(CHECKPOINT_INTERVAL + "=" + shown + " is not valid: it must be a whole number of"
                    + " versions between checkpoints, from 1 to " + Integer.MAX_VALUE + " (or leave it unset for the"
                    + " platform's interval)");
        }
        return (int) interval;
    }

    private DeltaTableProperties() {}
}
