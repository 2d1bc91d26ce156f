package io.deltaplane.metadata.publish;

import static java.util.Objects.requireNonNull;

import io.deltaplane.metadata.MetadataErrors;
import io.deltaplane.metadata.table.TableDropped;
import io.deltaplane.metadata.table.TableRepository;
import io.deltaplane.metadata.table.TableRow;
import java.time.Clock;
import java.util.List;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Publish status and on-demand reconcile by table name, and the clean-up when a table is dropped.
 * (A table's own {@code publish} status is read with the table: {@code table.TableEntries}.)
 */
@Service
public class PublishService {

    private final PublishRepository repository;
    private final PublishStates states;
    private final Reconciler reconciler;
    private final TableRepository tables;
    private final PublishMetrics metrics;
    private final PublishProperties properties;
    private final Clock clock;
    private final List<IcebergStatusSource> iceberg;

    public PublishService(
            PublishRepository repository,
            PublishStates states,
            Reconciler reconciler,
            TableRepository tables,
            PublishMetrics metrics,
            PublishProperties properties,
            Clock clock,
            List<IcebergStatusSource> iceberg) {
        this.iceberg = List.copyOf(iceberg);
        this.repository = requireNonNull(repository, "repository");
        this.states = requireNonNull(states, "states");
        this.properties = requireNonNull(properties, "properties");
        this.metrics = requireNonNull(metrics, "metrics");
        this.reconciler = requireNonNull(reconciler, "reconciler");
        this.tables = requireNonNull(tables, "tables");
        this.clock = requireNonNull(clock, "clock");
    }

    public PublishStatusResponse status(String fullName) {
        TableRow table = tables.require(fullName);
        // A table the publisher has not seen yet (its first version is still being committed)
        // reads as nothing published.
        PublishState state = states.state(table.id())
                .orElseGet(() -> new PublishState(
                        table.id(), table.fullName(), table.location(), -1, 0, null, null, null, null, null));
        IcebergStatusSource.IcebergStatus icebergStatus = iceberg.stream()
                .flatMap(source -> source.status(table.id()).stream())
                .findFirst()
                .orElse(null);
        return PublishStatusResponse.of(state, table.currentVersion(), clock.instant(), icebergStatus);
    }

    public Reconciler.ReconcileReport reconcile(String fullName) {
        TableRow table = tables.require(fullName);
        return reconciler.reconcile(table.id(), true, true).orElseThrow(() -> MetadataErrors.tableNotFound(fullName));
    }

    /** A dropped table's log stays as it is; its queue, state and gauges go (commits are gone too). */
    @EventListener
    public void onDropped(TableDropped event) {
        repository.forget(event.tableId());
        Runnable gauges = () ->
                metrics.dropped(event.tableId(), states.mostLagging(properties.lagGaugeTables()), clock.instant());
        if (TransactionSynchronizationManager.isSynchronizationActive()) {
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCommit() {
                    gauges.run();
                }
            });
        } else {
            gauges.run();
        }
    }
}
