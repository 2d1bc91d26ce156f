package io.deltaplane.metadata.icebergmetadata;

import static java.util.Objects.requireNonNull;

import io.deltaplane.metadata.commit.CommittedVersionListener;
import io.deltaplane.metadata.table.TableRepository;
import io.deltaplane.metadata.table.TableRow;
import io.deltaplane.support.loop.BackgroundLoop;
import io.deltaplane.support.loop.ProcessRole;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Keeps the Iceberg metadata of the tables Iceberg clients read up with their Delta log in the
 * background, so an Iceberg load finds it made: each round converts the tables loaded within {@code
 * keep-current-for} whose log is ahead of their Iceberg metadata (least recently converted first).
 * A commit to such a table starts a round at once ({@link #committed}, after the commit's
 * transaction); the {@code interval} poll covers commits made through other replicas.
 * A table no Iceberg client reads costs nothing per commit; its first load converts it. Each round
 * claims its tables (a token and a lease, {@code SKIP LOCKED}), so replicas convert each table once;
 * a replica that dies mid-round leaves a claim that lapses after {@link #CLAIM_LEASE}. Nothing here is in a commit's path: a failure is recorded on the
 * table (its publish status, {@code deltaplane.iceberg.conversions{outcome=failed}}) and retried
 * after {@code retry-after}; a table turned off ({@link IcebergTables#ENABLED}) is passed over the
 * same way. An Iceberg load converts whatever is still missing, so nothing depends on this loop's
 * progress (after a crash, the next round or load carries on from Postgres).
 */
@Component
public class IcebergPublisher implements SmartLifecycle, CommittedVersionListener {

    private static final Logger log = LoggerFactory.getLogger(IcebergPublisher.class);
    private static final Duration STOP_WAIT = Duration.ofSeconds(30);
    /** How long a round's claim on a table lasts if its replica dies mid-round; released when done. */
    static final Duration CLAIM_LEASE = Duration.ofMinutes(2);

    private final IcebergMetadataRepository repository;
    private final TableRepository tables;
    private final IcebergTables iceberg;
    private final IcebergConversion conversion;
    private final RecentlyReadTables recentlyRead;
    private final IcebergProperties properties;
    private final ProcessRole role;
    private final Clock clock;
    private final BackgroundLoop loop;

    IcebergPublisher(
            IcebergMetadataRepository repository,
            TableRepository tables,
            IcebergTables iceberg,
            IcebergConversion conversion,
            RecentlyReadTables recentlyRead,
            IcebergProperties properties,
            ProcessRole role,
            Clock clock,
            MeterRegistry registry) {
        this.repository = requireNonNull(repository, "repository");
        this.tables = requireNonNull(tables, "tables");
        this.iceberg = requireNonNull(iceberg, "iceberg");
        this.conversion = requireNonNull(conversion, "conversion");
        this.recentlyRead = requireNonNull(recentlyRead, "recentlyRead");
        this.properties = requireNonNull(properties, "properties");
        this.role = requireNonNull(role, "role");
        this.clock = requireNonNull(clock, "clock");
        this.loop = BackgroundLoop.named("iceberg-metadata")
                .round(this::round)
                .every(properties.interval())
                .initialDelay(properties.interval())
                .metrics(registry)
                .build();
    }

    /** One round: converts up to {@code tables-per-round} tables behind their log; true if more may be due. */
    public boolean round() {
        recentlyRead.refresh();
        Instant now = clock.instant();
        UUID token = UUID.randomUUID();
        List<UUID> behind = repository.claimBehind(
                token,
                CLAIM_LEASE,
                now.minus(properties.keepCurrentFor()),
                now.minus(properties.retryAfter()),
                properties.tablesPerRound());
        for (UUID id : behind) {
            try {
                convert(id);
            } finally {
                repository.release(id, token);
            }
        }
        return behind.size() == properties.tablesPerRound();
    }

    private void convert(UUID id) {
        Optional<TableRow> table = tables.findById(id);
        if (table.isEmpty()) {
            return; // dropped meanwhile
        }
        Optional<String> off = iceberg.turnedOff(table.get());
        if (off.isPresent()) {
            repository.failed(id, off.get());
            return;
        }
        try {
            conversion.convertTo(table.get(), table.get().currentVersion());
        } catch (RuntimeException e) {
            // recorded on the table by the conversion; the next round after retry-after tries again
            log.warn("Iceberg metadata of {} not converted: {}", table.get().fullName(), e.getMessage());
        }
    }

    /**
     * A commit to a table an Iceberg client reads starts a round at once (a reader sees the version
     * without waiting for the interval); a commit to any other table costs a map lookup.
     */
    @Override
    public void committed(UUID tableId) {
        if (recentlyRead.contains(tableId)) {
            loop.wake();
        }
    }

    @Override
    public void start() {
        loop.start();
    }

    @Override
    public void stop() {
        loop.stop(STOP_WAIT);
    }

    @Override
    public boolean isRunning() {
        return loop.isRunning();
    }

    /** Where the process runs background jobs ({@link ProcessRole}). */
    @Override
    public boolean isAutoStartup() {
        return properties.background() && role.backgroundJobs();
    }
}
