package io.deltaplane.metadata.delta;

import static io.deltaplane.metadata.MetadataErrors.invalidAction;

import io.delta.kernel.internal.actions.DeletionVectorDescriptor;
import io.delta.kernel.internal.deletionvectors.Base85Codec;
import io.deltaplane.support.problem.ApiException;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;

/**
 * Deletion vector descriptors of {@code add} and {@code remove} actions (Delta's {@code
 * deletionVectors} feature): checked for shape when a commit carries them, and resolved to the file
 * each one is stored in, so VACUUM keeps the files a retained version needs. The platform stores
 * and serves descriptors as the writer sent them; readers apply the vectors.
 */
public final class DeletionVectors {

    /** The feature's name in {@code readerFeatures} and {@code writerFeatures}. */
    public static final String FEATURE = "deletionVectors";

    /** The table property that asks writers to write deletion vectors. */
    public static final String ENABLE_PROPERTY = "delta.enableDeletionVectors";

    /** A relative DV's random prefix: Delta writes a few letters or digits, never a path. */
    private static final Pattern PREFIX = Pattern.compile("[A-Za-z0-9]*");

    private DeletionVectors() {}

    /**
     * Checks the {@code deletionVector} of {@code action} (an add or remove body), if it has one.
     *
     * @return whether it has one
     */
    static boolean check(JsonNode action, String kind, String path, String location) {
        JsonNode dv = action.get("deletionVector");
        if (dv == null || dv.isNull()) {
            return false;
        }
        String where = kind + " " + path + " deletionVector";
        if (!dv.isObject()) {
            throw invalidAction(where + " must be an object");
        }
        String type = text(dv, "storageType", where);
        String value = text(dv, "pathOrInlineDv", where);
        switch (type) {
            case DeletionVectorDescriptor.UUID_DV_MARKER -> {
                if (value.length() < Base85Codec.ENCODED_UUID_LENGTH
                        || !PREFIX.matcher(value.substring(0, value.length() - Base85Codec.ENCODED_UUID_LENGTH))
                                .matches()) {
                    throw invalidAction(where + ".pathOrInlineDv must be a short letters-and-digits prefix and a"
                            + " Z85-encoded UUID");
                }
                decode(
                        () -> Base85Codec.decodeUUID(value.substring(value.length() - Base85Codec.ENCODED_UUID_LENGTH)),
                        where);
            }
            case DeletionVectorDescriptor.INLINE_DV_MARKER -> {
                if (dv.has("offset")) {
                    throw invalidAction(where + " is inline: it has no offset");
                }
                decode(() -> Base85Codec.decodeAlignedBytes(value), where);
            }
            case DeletionVectorDescriptor.PATH_DV_MARKER -> {
                try {
                    TablePaths.check(location, value);
                } catch (ApiException e) {
                    throw invalidAction(where + ": " + e.getMessage());
                }
            }
            default -> throw invalidAction(where + ".storageType must be u, i or p, not " + type);
        }
        JsonNode offset = dv.get("offset");
        if (offset != null && !(offset.isInt() && offset.asInt() >= 0)) {
            throw invalidAction(where + ".offset must be a non-negative integer");
        }
        JsonNode size = dv.get("sizeInBytes");
        if (size == null || !size.isInt() || size.asInt() < 0) {
            throw invalidAction(where + ".sizeInBytes must be a non-negative integer");
        }
        JsonNode cardinality = dv.get("cardinality");
        if (cardinality == null
                || !cardinality.canConvertToLong()
                || !cardinality.isIntegralNumber()
                || cardinality.asLong() < 0) {
            throw invalidAction(where + ".cardinality must be a non-negative integer");
        }
        return true;
    }

    /**
     * A commit that carries a deletion vector, or sets {@code delta.enableDeletionVectors=true}, needs
     * the feature in the table's protocol: the commit's own protocol action, else the stored one
     * ({@code storedProtocol}, read only when needed).
     */
    public static void requireFeature(CommitActions actions, Supplier<JsonNode> storedProtocol) {
        boolean enables = actions.metadata() != null
                && "true"
                        .equalsIgnoreCase(actions.metadata()
                                .path("configuration")
                                .path(ENABLE_PROPERTY)
                                .asString(null));
        if (!actions.deletionVectors() && !enables) {
            return;
        }
        JsonNode protocol = actions.protocol() != null ? actions.protocol().json() : storedProtocol.get();
        if (listed(protocol.path("writerFeatures"))) {
            return;
        }
        throw invalidAction((enables ? ENABLE_PROPERTY + "=true needs" : "a deletionVector in an add or remove needs")
                + " the deletionVectors feature in the table's protocol (minReaderVersion 3, minWriterVersion 7,"
                + " \"deletionVectors\" in readerFeatures and writerFeatures)");
    }

    /** Whether a protocol action lists the feature among its reader features (readers apply vectors). */
    public static boolean inProtocol(JsonNode protocol) {
        return protocol != null && listed(protocol.path("readerFeatures"));
    }

    private static boolean listed(JsonNode features) {
        for (JsonNode feature : features) {
            if (FEATURE.equals(feature.asString(null))) {
                return true;
            }
        }
        return false;
    }

    /**
     * The file a descriptor's vector is stored in, as an add names a file: relative to the table's
     * location ({@code u}: {@code [<prefix>/]deletion_vector_<uuid>.bin}) or absolute ({@code p});
     * empty for an inline vector or one that does not decode.
     */
    public static Optional<String> file(String storageType, String pathOrInlineDv) {
        if (DeletionVectorDescriptor.PATH_DV_MARKER.equals(storageType)) {
            return Optional.ofNullable(pathOrInlineDv);
        }
        if (!DeletionVectorDescriptor.UUID_DV_MARKER.equals(storageType)
                || pathOrInlineDv == null
                || pathOrInlineDv.length() < Base85Codec.ENCODED_UUID_LENGTH) {
            return Optional.empty();
        }
        int split = pathOrInlineDv.length() - Base85Codec.ENCODED_UUID_LENGTH;
        String prefix = pathOrInlineDv.substring(0, split);
        try {
            String name = "deletion_vector_" + Base85Codec.decodeUUID(pathOrInlineDv.substring(split)) + ".bin";
            return Optional.of(prefix.isEmpty() ? name : prefix + "/" + name);
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    private static String text(JsonNode dv, String field, String where) {
        JsonNode value = dv.get(field);
        if (value == null || !value.isString() || value.stringValue().isEmpty()) {
            throw invalidAction(where + "." + field + " must be a non-empty string");
        }
        return value.stringValue();
    }

    private static void decode(Runnable decode, String where) {
        try {
            decode.run();
        } catch (RuntimeException e) {
            throw invalidAction(where + ".pathOrInlineDv is not valid Z85 (" + e.getMessage() + ")");
        }
    }
}
