package io.deltaplane.metadata.delta;

import static io.deltaplane.metadata.MetadataErrors.invalidAction;

import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * The uses of Delta table features the platform does not implement, refused with a 400 naming the
 * feature. The features themselves are refused where a protocol lists them ({@link ProtocolRules});
 * a legacy protocol implies them by its writer version alone (3: check constraints, 4: generated
 * columns, 6: identity columns — Spark writes 1/3 for {@code ADD CONSTRAINT}), so what a metaData
 * asks of writers is refused here too: the platform's own writers (ingest, OPTIMIZE) would not
 * evaluate constraints, generated or identity values, defaults or widened types.
 */
final class UnimplementedFeatures {

    /** Table properties that enable a feature, by the feature's name. */
    private static final Map<String, String> ENABLING_PROPERTIES = Map.of("delta.enableTypeWidening", "typeWidening");

    private static final String CONSTRAINT_PREFIX = "delta.constraints.";

    /** Field metadata keys that make a column need a feature, by the feature's name. */
    private static final Map<String, String> FIELD_METADATA = Map.of(
            "delta.generationExpression", "generatedColumns",
            "delta.identity.start", "identityColumns",
            "delta.identity.step", "identityColumns",
            "delta.identity.highWaterMark", "identityColumns",
            "delta.identity.allowExplicitInsert", "identityColumns",
            "CURRENT_DEFAULT", "allowColumnDefaults");

    private UnimplementedFeatures() {}

    /** A metaData's configuration: no property that enables or uses an unimplemented feature. */
    static void checkConfiguration(JsonNode configuration) {
        ENABLING_PROPERTIES.forEach((property, feature) -> {
            JsonNode value = configuration.get(property);
            if (value != null && "true".equalsIgnoreCase(value.asString(""))) {
                throw unsupported(property + "=true", feature);
            }
        });
        for (String property : configuration.propertyNames()) {
            if (property.startsWith(CONSTRAINT_PREFIX)) {
                throw unsupported("the CHECK constraint " + property, "checkConstraints");
            }
        }
    }

    /** One field's metadata: no generation expression, identity or default. */
    static void checkFieldMetadata(String where, JsonNode metadata) {
        if (metadata == null) {
            return;
        }
        FIELD_METADATA.forEach((key, feature) -> {
            if (metadata.has(key)) {
                throw unsupported(where + " with " + key, feature);
            }
        });
    }

    private static RuntimeException unsupported(String what, String feature) {
        return invalidAction(what + " is not supported: this platform does not implement the " + feature
                + " table feature it needs");
    }
}
