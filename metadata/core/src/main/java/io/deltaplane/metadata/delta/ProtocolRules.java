package io.deltaplane.metadata.delta;

import static io.deltaplane.metadata.MetadataErrors.invalidAction;

import io.deltaplane.metadata.delta.CommitActions.Protocol;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The rules of a {@code protocol} action: versions in range, only the table features this
 * platform implements ({@link TableFeatures}), the features a listed one needs, and upgrades only —
 * neither version lower, no listed feature dropped.
 */
public final class ProtocolRules {

    private ProtocolRules() {}

    /** A protocol action's versions and features, checked against what the platform implements. */
    static Protocol parse(ObjectNode protocol) {
        long reader = ActionParser.requireLong(protocol, "minReaderVersion", "protocol");
        long writer = ActionParser.requireLong(protocol, "minWriterVersion", "protocol");
        if (reader < 1 || reader > 3 || writer < 1 || writer > 7) {
            throw invalidAction("protocol versions must be minReaderVersion 1..3 and minWriterVersion 1..7");
        }
        for (String features : List.of("readerFeatures", "writerFeatures")) {
            JsonNode list = protocol.get(features);
            if (list != null) {
                Set<String> supported = features.equals("readerFeatures") ? TableFeatures.READER : TableFeatures.WRITER;
                for (String feature : ActionParser.stringList(list, "protocol." + features)) {
                    if (!supported.contains(feature)) {
                        throw invalidAction("protocol." + features + " names " + feature
                                + ", which this platform does not implement; supported: " + new TreeSet<>(supported));
                    }
                }
            }
        }
        if (reader == 3 && protocol.get("readerFeatures") == null) {
            throw invalidAction("protocol with minReaderVersion 3 needs readerFeatures");
        }
        if (writer == 7 && protocol.get("writerFeatures") == null) {
            throw invalidAction("protocol with minWriterVersion 7 needs writerFeatures");
        }
        List<String> writers = protocol.get("writerFeatures") == null
                ? List.of()
                : ActionParser.stringList(protocol.get("writerFeatures"), "protocol.writerFeatures");
        List<String> readers = protocol.get("readerFeatures") == null
                ? List.of()
                : ActionParser.stringList(protocol.get("readerFeatures"), "protocol.readerFeatures");
        if (writers.contains(RowTracking.FEATURE) && !writers.contains("domainMetadata")) {
            throw invalidAction("protocol: the rowTracking writer feature needs domainMetadata in writerFeatures");
        }
        if (writers.contains(V2Checkpoints.FEATURE) != readers.contains(V2Checkpoints.FEATURE)) {
            throw invalidAction("protocol: v2Checkpoint is a reader and writer feature; list it in both");
        }
        return new Protocol((int) reader, (int) writer, protocol);
    }

    /** A protocol downgrade (either version lower than the current one) is not allowed. */
    public static void checkNoDowngrade(Protocol next, int currentReader, int currentWriter) {
        if (next.minReaderVersion() < currentReader || next.minWriterVersion() < currentWriter) {
            throw invalidAction("protocol downgrade from (" + currentReader + ", " + currentWriter + ") to ("
                    + next.minReaderVersion() + ", " + next.minWriterVersion() + ") is not allowed");
        }
    }

    /** A protocol upgrade keeps every table feature the current protocol lists. */
    public static void checkNoDowngrade(Protocol next, JsonNode current) {
        checkNoDowngrade(
                next,
                current.get("minReaderVersion").asInt(),
                current.get("minWriterVersion").asInt());
        for (String features : List.of("readerFeatures", "writerFeatures")) {
            JsonNode had = current.get(features);
            if (had == null || !had.isArray()) {
                continue;
            }
            Set<String> kept = new HashSet<>();
            JsonNode now = next.json().get(features);
            if (now != null && now.isArray()) {
                now.forEach(f -> kept.add(f.asString()));
            }
            for (JsonNode feature : had) {
                if (!kept.contains(feature.asString())) {
                    throw invalidAction("protocol." + features + " must keep " + feature.asString()
                            + ": removing a table feature is not allowed");
                }
            }
        }
    }
}
