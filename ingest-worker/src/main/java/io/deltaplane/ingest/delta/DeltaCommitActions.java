package io.deltaplane.ingest.delta;

import static java.util.Objects.requireNonNull;

import io.deltaplane.ingest.sink.SinkBatch;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The Delta actions one ingest batch commits: a {@code commitInfo} naming the lineage run ({@code
 * deltaplaneRunId}), the mapping, stream and offset ranges; one {@code txn} per source partition, in
 * partition order ({@link IngestTxn}: the version is the next offset); and one {@code add} per Parquet
 * file the batch wrote — built from the typed {@link DeltaAction}s.
 */
final class DeltaCommitActions {

    static final String OPERATION = "STREAMING UPDATE";

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
        List<DeltaAction> actions = new ArrayList<>();
        Map<Integer, Long> from = new HashMap<>();
        for (int i = 0; i < batch.size(); i++) {
            from.merge(batch.partition(i), batch.offset(i), Math::min);
        }
        SortedMap<Integer, DeltaAction.OffsetRange> offsets = new TreeMap<>();
        batch.nextOffsets().forEach((p, o) -> offsets.put(p, new DeltaAction.OffsetRange(from.get(p), o)));
        actions.add(new DeltaAction.CommitInfo(
                OPERATION,
                new TreeMap<>(Map.of("outputMode", "Append", "queryId", mapping)),
                "Deltaplane ingest-worker",
                true,
                // metadata-service hands the version to lineage with this run as its writer
                observer.runId(),
                new DeltaAction.IngestSource(mapping, stream, offsets)));
        offsets.forEach(
                (p, range) -> actions.add(new DeltaAction.Txn(txn.appId(p), range.until(), now.toEpochMilli())));
        for (DataFile f : files) {
            actions.add(new DeltaAction.Add(
                    f.relativePath().replace("%", "%25"),
                    f.partitionValues(),
                    f.size(),
                    now.toEpochMilli(),
                    true,
                    f.stats()));
        }
        return actions.stream().map(action -> action.toJson(json)).toList();
    }

    /**
     * A version with no data: a {@code commitInfo}, as a streaming write of an empty batch would
     * leave, and each of {@code positions}' partitions' txn again at the version it already has
     * ({@link IngestTxn#NONE} for a partition the table has none of). Committed on the version a
     * reopened sink read, it makes any append of those partitions still in flight, read before it,
     * fail.
     */
    List<JsonNode> fence(Map<Integer, Long> positions, Instant now) {
        List<DeltaAction> actions = new ArrayList<>();
        actions.add(new DeltaAction.CommitInfo(
                OPERATION,
                new TreeMap<>(Map.of("outputMode", "Append", "queryId", mapping)),
                "Deltaplane ingest-worker",
                true,
                null,
                null));
        new TreeMap<>(positions)
                .forEach((p, version) -> actions.add(new DeltaAction.Txn(txn.appId(p), version, now.toEpochMilli())));
        return actions.stream().map(action -> action.toJson(json)).toList();
    }
}
