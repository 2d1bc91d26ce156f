package io.deltaplane.ingest.delta;

import static java.util.Objects.requireNonNull;

import io.deltaplane.ingest.sink.SinkBatch;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The Delta actions one ingest batch commits: a {@code commitInfo} naming the lineage run ({@code
 * deltaplaneRunId}), the mapping, stream and offset ranges; one {@code txn} per source partition ({@link IngestTxn}: the version is the next
 * offset); and one {@code add} per Parquet file the batch wrote.
 */
final class DeltaCommitActions {

    static final String OPERATION = "STREAMING UPDATE";

    /** The commitInfo field metadata-service reads the writing lineage run from. */
    static final String RUN_ID_FIELD = "deltaplaneRunId";

    private final JsonMapper json;
    private final String mapping;
    private final String stream;
    private final IngestTxn txn;
    private final CommitObserver observer;

    DeltaCommitActions(JsonMapper json, String mapping, String stream, IngestTxn txn, CommitObserver observer) {
        this.json = requireNonNull(json, "json");
        this.mapping = requireNonNull(mapping, "mapping");
        this.stream = requireNonNull(stream, "stream");
        this.txn = requireNonNull(txn, "txn");
        this.observer = requireNonNull(observer, "observer");
    }

    List<JsonNode> actions(SinkBatch batch, List<DataFile> files, Instant now) {
        List<JsonNode> actions = new ArrayList<>();
        ObjectNode info = json.createObjectNode();
        ObjectNode commitInfo = info.putObject("commitInfo");
        commitInfo.put("operation", OPERATION);
        ObjectNode parameters = commitInfo.putObject("operationParameters");
        parameters.put("outputMode", "Append");
        parameters.put("queryId", mapping);
        commitInfo.put("engineInfo", "Deltaplane ingest-worker");
        commitInfo.put("isBlindAppend", true);
        String run = observer.runId();
        if (run != null) {
            // metadata-service hands the version to lineage with this run as its writer
            commitInfo.put(RUN_ID_FIELD, run);
        }
        ObjectNode source = commitInfo.putObject("deltaplane.ingest");
        source.put("mapping", mapping);
        source.put("stream", stream);
        ObjectNode offsets = source.putObject("offsets");
        Map<Integer, Long> from = new HashMap<>();
        for (int i = 0; i < batch.size(); i++) {
            from.merge(batch.partition(i), batch.offset(i), Math::min);
        }
        batch.nextOffsets().forEach((p, o) -> {
            ObjectNode range = offsets.putObject(Integer.toString(p));
            range.put("from", from.get(p));
            range.put("until", o);
        });
        actions.add(info);
        batch.nextOffsets().forEach((p, o) -> {
            ObjectNode t = json.createObjectNode();
            t.putObject("txn").put("appId", txn.appId(p)).put("version", o).put("lastUpdated", now.toEpochMilli());
            actions.add(t);
        });
        for (DataFile f : files) {
            ObjectNode a = json.createObjectNode();
            ObjectNode add = a.putObject("add");
            add.put("path", f.relativePath().replace("%", "%25"));
            ObjectNode values = add.putObject("partitionValues");
            f.partitionValues().forEach(values::put);
            add.put("size", f.size());
            add.put("modificationTime", now.toEpochMilli());
            add.put("dataChange", true);
            add.put("stats", f.stats());
            actions.add(a);
        }
        return actions;
    }
}
