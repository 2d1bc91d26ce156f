package io.deltaplane.ingest.source.eventhubs;

import static java.util.Objects.requireNonNull;

import com.azure.messaging.eventhubs.CheckpointStore;
import com.azure.messaging.eventhubs.models.Checkpoint;
import com.azure.messaging.eventhubs.models.PartitionOwnership;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Event Hubs partition ownership and checkpoints in Postgres (schema {@code ingest}), so worker
 * replicas balance partitions without Azure Blob storage.
 *
 * <p>Ownership uses optimistic concurrency on the eTag, as the SDK's load balancer expects: a claim
 * carrying eTag {@code e} succeeds only if the stored row still has {@code e} (one conditional
 * {@code UPDATE}); a claim without an eTag succeeds only if nobody owns the partition yet
 * ({@code INSERT … ON CONFLICT DO NOTHING}). Each success gets a fresh eTag. Of several concurrent
 * claims with the same eTag exactly one wins.
 */
public final class PostgresCheckpointStore implements CheckpointStore {

    static final String LIST_OWNERSHIP = """
            SELECT partition_id, owner_id, last_modified_ms, etag FROM eventhubs_ownership
            WHERE namespace = :ns AND event_hub = :eh AND consumer_group = :cg
            """;
    static final String INSERT_OWNERSHIP = """
            INSERT INTO eventhubs_ownership
                (namespace, event_hub, consumer_group, partition_id, owner_id, last_modified_ms, etag)
            VALUES (:ns, :eh, :cg, :pid, :owner, :now, :newEtag)
            ON CONFLICT DO NOTHING
            """;
    static final String UPDATE_OWNERSHIP = """
            UPDATE eventhubs_ownership SET owner_id = :owner, last_modified_ms = :now, etag = :newEtag
            WHERE namespace = :ns AND event_hub = :eh AND consumer_group = :cg AND partition_id = :pid
              AND etag = :etag
            """;
    static final String LIST_CHECKPOINTS = """
            SELECT partition_id, offset_string, sequence_number FROM eventhubs_checkpoints
            WHERE namespace = :ns AND event_hub = :eh AND consumer_group = :cg
            """;
    static final String UPSERT_CHECKPOINT = """
            INSERT INTO eventhubs_checkpoints
                (namespace, event_hub, consumer_group, partition_id, offset_string, sequence_number, updated_at)
            VALUES (:ns, :eh, :cg, :pid, :offset, :seq, :now)
            ON CONFLICT (namespace, event_hub, consumer_group, partition_id)
            DO UPDATE SET offset_string = EXCLUDED.offset_string, sequence_number = EXCLUDED.sequence_number,
                          updated_at = EXCLUDED.updated_at
            """;

    private final JdbcClient jdbc;
    private final Clock clock;

    public PostgresCheckpointStore(JdbcClient jdbc, Clock clock) {
        this.jdbc = requireNonNull(jdbc, "jdbc");
        this.clock = requireNonNull(clock, "clock");
    }

    @Override
    public Flux<PartitionOwnership> listOwnership(String namespace, String eventHub, String consumerGroup) {
        return Flux.defer(() -> Flux.fromIterable(jdbc.sql(LIST_OWNERSHIP)
                        .param("ns", namespace)
                        .param("eh", eventHub)
                        .param("cg", consumerGroup)
                        .query((rs, n) -> new PartitionOwnership()
                                .setFullyQualifiedNamespace(namespace)
                                .setEventHubName(eventHub)
                                .setConsumerGroup(consumerGroup)
                                .setPartitionId(rs.getString("partition_id"))
                                .setOwnerId(rs.getString("owner_id"))
                                .setLastModifiedTime(rs.getLong("last_modified_ms"))
                                .setETag(rs.getString("etag")))
                        .list()))
                .subscribeOn(Schedulers.boundedElastic());
    }

    @Override
    public Flux<PartitionOwnership> claimOwnership(List<PartitionOwnership> requested) {
        return Flux.defer(() -> Flux.fromIterable(claim(requested))).subscribeOn(Schedulers.boundedElastic());
    }

    /** The claims that won, each with its new eTag; lost claims are simply absent (as the SDK expects). */
    List<PartitionOwnership> claim(List<PartitionOwnership> requested) {
        List<PartitionOwnership> won = new ArrayList<>();
        for (PartitionOwnership o : requested) {
            long now = clock.millis();
            String newEtag = UUID.randomUUID().toString();
            var statement = jdbc.sql(o.getETag() == null ? INSERT_OWNERSHIP : UPDATE_OWNERSHIP)
                    .param("ns", o.getFullyQualifiedNamespace())
                    .param("eh", o.getEventHubName())
                    .param("cg", o.getConsumerGroup())
                    .param("pid", o.getPartitionId())
                    .param("owner", o.getOwnerId())
                    .param("now", now)
                    .param("newEtag", newEtag);
            if (o.getETag() != null) {
                statement = statement.param("etag", o.getETag());
            }
            if (statement.update() == 1) {
                won.add(new PartitionOwnership()
                        .setFullyQualifiedNamespace(o.getFullyQualifiedNamespace())
                        .setEventHubName(o.getEventHubName())
                        .setConsumerGroup(o.getConsumerGroup())
                        .setPartitionId(o.getPartitionId())
                        .setOwnerId(o.getOwnerId())
                        .setLastModifiedTime(now)
                        .setETag(newEtag));
            }
        }
        return won;
    }

    @Override
    public Flux<Checkpoint> listCheckpoints(String namespace, String eventHub, String consumerGroup) {
        return Flux.defer(() -> Flux.fromIterable(jdbc.sql(LIST_CHECKPOINTS)
                        .param("ns", namespace)
                        .param("eh", eventHub)
                        .param("cg", consumerGroup)
                        .query((rs, n) -> {
                            long seq = rs.getLong("sequence_number");
                            Long sequence = rs.wasNull() ? null : seq;
                            return new Checkpoint()
                                    .setFullyQualifiedNamespace(namespace)
                                    .setEventHubName(eventHub)
                                    .setConsumerGroup(consumerGroup)
                                    .setPartitionId(rs.getString("partition_id"))
                                    .setOffsetString(rs.getString("offset_string"))
                                    .setSequenceNumber(sequence);
                        })
                        .list()))
                .subscribeOn(Schedulers.boundedElastic());
    }

    @Override
    public Mono<Void> updateCheckpoint(Checkpoint checkpoint) {
        if (checkpoint == null || (checkpoint.getSequenceNumber() == null && checkpoint.getOffsetString() == null)) {
            return Mono.error(new IllegalArgumentException("A checkpoint needs a sequence number or an offset"));
        }
        return Mono.<Void>fromRunnable(() -> jdbc.sql(UPSERT_CHECKPOINT)
                        .param("ns", checkpoint.getFullyQualifiedNamespace())
                        .param("eh", checkpoint.getEventHubName())
                        .param("cg", checkpoint.getConsumerGroup())
                        .param("pid", checkpoint.getPartitionId())
                        .param("offset", checkpoint.getOffsetString())
                        .param("seq", checkpoint.getSequenceNumber())
                        .param("now", Timestamp.from(clock.instant()))
                        .update())
                .subscribeOn(Schedulers.boundedElastic());
    }
}
