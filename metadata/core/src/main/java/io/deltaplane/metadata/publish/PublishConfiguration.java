package io.deltaplane.metadata.publish;

import io.deltaplane.metadata.commit.CommitPipeline;
import io.deltaplane.metadata.deltalog.DeltaLogCheckpointWriter;
import io.deltaplane.metadata.table.TableRepository;
import io.deltaplane.storage.Storages;
import java.time.Clock;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.transaction.support.TransactionTemplate;

/** The publishing workers; plain classes so tests can run extra instances (another "replica"). */
@Configuration(proxyBeanMethods = false)
class PublishConfiguration {

    @Bean
    DeltaLogPublisher deltaLogPublisher(
            PublishRepository repository,
            CommitRows commitRows,
            Storages storages,
            TransactionTemplate transactions,
            PublishProperties properties,
            PublishMetrics metrics,
            Clock clock,
            PublishWakeup wakeup) {
        return new DeltaLogPublisher(
                repository, commitRows, storages, transactions, properties, metrics, clock, wakeup::signal);
    }

    @Bean
    Checkpointer checkpointer(
            CheckpointRepository repository,
            DeltaLogCheckpointWriter writer,
            TransactionTemplate transactions,
            PublishProperties properties,
            PublishMetrics metrics) {
        return new Checkpointer(repository, writer, transactions, properties, metrics);
    }

    @Bean
    LogAdoption logAdoption(
            CommitPipeline pipeline,
            CommitRows commitRows,
            TransactionTemplate transactions,
            EngineLogs engineLogs,
            TableRepository tables,
            Clock clock) {
        return new LogAdoption(pipeline, commitRows, transactions, engineLogs, tables, clock);
    }

    @Bean
    Reconciler reconciler(
            PublishRepository repository,
            PublishStates states,
            CommitRows commitRows,
            Storages storages,
            DeltaLogPublisher publisher,
            PublishMetrics metrics,
            PublishProperties properties,
            Clock clock,
            LogAdoption adoption,
            CheckpointRepository checkpoints,
            LogCleanup logCleanup,
            RestoreMarks restoreMarks) {
        return new Reconciler(
                repository,
                states,
                commitRows,
                storages,
                publisher,
                metrics,
                properties,
                clock,
                adoption,
                checkpoints,
                logCleanup,
                restoreMarks);
    }

    @Bean
    RestoreChecks restoreChecks(RestoreMarks marks, Reconciler reconciler) {
        return new RestoreChecks(marks, reconciler);
    }
}
