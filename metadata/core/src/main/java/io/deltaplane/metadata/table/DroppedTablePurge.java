package io.deltaplane.metadata.table;

import static java.util.Objects.requireNonNull;

import io.deltaplane.metadata.table.DroppedLocations.Dropped;
import io.deltaplane.storage.Storage;
import io.deltaplane.storage.Storages;
import io.deltaplane.storage.StoredFile;
import io.deltaplane.support.audit.AuditEvent;
import io.deltaplane.support.audit.AuditLog;
import io.deltaplane.support.loop.BackgroundLoop;
import io.deltaplane.support.loop.ClusterJobLifecycle;
import io.deltaplane.support.loop.ProcessRole;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Soft drop, then purge, as Unity Catalog treats managed tables: a managed table dropped without
 * {@code purge} keeps its directory (reserved, {@link DroppedLocations}) for {@code
 * deltaplane.dropped-tables.retention}; then this loop deletes the directory and ends the
 * reservation, audited as the platform's own change. Each directory goes under the lock every
 * location claim takes, so no table can take it meanwhile; one that a live table holds by then
 * (its dropper imported it again) is released without deleting anything.
 */
@Component
public class DroppedTablePurge extends ClusterJobLifecycle {

    private static final Logger log = LoggerFactory.getLogger(DroppedTablePurge.class);
    private static final int BATCH = 100;

    private final DroppedLocations dropped;
    private final LocationClaims claims;
    private final Storages storages;
    private final AuditLog audit;
    private final TransactionTemplate tx;
    private final Clock clock;
    private final DroppedTableProperties properties;
    private final BackgroundLoop loop;

    public DroppedTablePurge(
            DroppedLocations dropped,
            LocationClaims claims,
            Storages storages,
            AuditLog audit,
            TransactionTemplate tx,
            Clock clock,
            DroppedTableProperties properties,
            ObjectProvider<MeterRegistry> registry,
            ProcessRole role) {
        super(role);
        this.dropped = requireNonNull(dropped, "dropped");
        this.claims = requireNonNull(claims, "claims");
        this.storages = requireNonNull(storages, "storages");
        this.audit = requireNonNull(audit, "audit");
        this.tx = requireNonNull(tx, "tx");
        this.clock = requireNonNull(clock, "clock");
        this.properties = requireNonNull(properties, "properties");
        this.loop = BackgroundLoop.named("dropped-table-purge")
                .task(this::runRound)
                .every(properties.purgeInterval())
                .initialDelay(properties.purgeInterval())
                .metrics(registry.getIfAvailable())
                .build();
    }

    /** One round: the directories whose retention has passed, deleted; how many. */
    public int runRound() {
        return properties.purges()
                ? purgeDroppedBefore(clock.instant().minus(properties.retention()))
                        .size()
                : 0;
    }

    /** Deletes the kept directories of tables dropped before {@code cutoff}; the locations deleted. */
    public List<String> purgeDroppedBefore(Instant cutoff) {
        List<String> purged = new ArrayList<>();
        for (Dropped table : dropped.droppedBefore(cutoff, BATCH)) {
            try {
                if (Boolean.TRUE.equals(tx.execute(status -> purge(table)))) {
                    purged.add(table.location());
                }
            } catch (RuntimeException e) {
                // kept reserved (the transaction rolled back): the next round tries again
                log.warn("could not purge {} (dropped table {}): {}", table.location(), table.fullName(), e.toString());
            }
        }
        return purged;
    }

    private boolean purge(Dropped table) {
        claims.lock();
        if (!dropped.release(table)) {
            return false; // another replica took it
        }
        Optional<String> live = claims.tableOverlapping(table.location());
        if (live.isPresent()) {
            log.info(
                    "kept {} (dropped table {}): table {} lives there now",
                    table.location(),
                    table.fullName(),
                    live.get());
            return false;
        }
        deleteDirectory(table.location());
        audit.append(new AuditEvent(
                0,
                clock.instant(),
                "deltaplane",
                "system",
                "-",
                "metadata",
                "PURGE dropped table (retention " + properties.retention() + ")",
                table.location(),
                "TABLE",
                table.fullName(),
                null,
                200,
                "allowed",
                null));
        log.info(
                "purged {} (table {} dropped more than {} ago)",
                table.location(),
                table.fullName(),
                properties.retention());
        return true;
    }

    /** The platform's own directory of the table: every file in it (it never held another's). */
    private void deleteDirectory(String location) {
        try {
            if (TableLocations.isObjectStore(location)) {
                Storage storage = storages.forLocation(location);
                for (StoredFile file : storage.filesUnder(location)) {
                    storage.delete(storage.resolve(location, file.name()));
                }
            } else {
                TableLocations.deleteDirectory(TableLocations.path(location));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not delete " + location, e);
        }
    }

    @Override
    protected BackgroundLoop loop() {
        return loop;
    }

    @Override
    protected boolean enabled() {
        return properties.purges();
    }
}
