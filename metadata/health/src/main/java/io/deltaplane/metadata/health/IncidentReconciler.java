package io.deltaplane.metadata.health;

import static java.util.Objects.requireNonNull;

import io.deltaplane.metadata.table.TableRow;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * One table's incident brought in line with its health, in one transaction with the events it
 * queues: a late table that is its own cause opens (or updates) its incident with the tables it
 * affects; a late table that another one's lateness explains opens none (an incident it had stays
 * open, its cause now named); a table with data since its incident opened resolves it — and, late
 * again already, opens the next one.
 */
@Component
class IncidentReconciler {

    private static final Logger log = LoggerFactory.getLogger(IncidentReconciler.class);

    /** What reconciling did. */
    enum Outcome {
        OPENED,
        RESOLVED,
        NONE
    }

    private final IncidentLog incidents;
    private final IncidentEvents events;
    private final TransactionTemplate tx;

    IncidentReconciler(IncidentLog incidents, IncidentEvents events, TransactionTemplate tx) {
        this.incidents = requireNonNull(incidents, "incidents");
        this.events = requireNonNull(events, "events");
        this.tx = requireNonNull(tx, "tx");
    }

    /**
     * @param why why it is late: the path from the root late table upstream, when another table's
     *     lateness explains this one's (it is then <em>affected</em>, not an incident of its own);
     *     else a job writing it that is not healthy, named as its incident's cause. When lineage did
     *     not answer, an open incident keeps the cause it named.
     * @param affected the late tables downstream that this one's lateness explains, with their paths
     */
    Outcome reconcile(TableRow table, TableHealth h, LateCauses.Explanation why, List<String> affected) {
        boolean affectedByUpstream = why.upstream().isPresent();
        return tx.execute(status -> {
            Optional<Incident> open = incidents.openOf(table.id(), IncidentLog.KIND_LATE);
            boolean resolved = false;
            if (open.isPresent() && dataArrivedSince(open.get(), h)) {
                // data came since it opened: that lateness ended, even if the table is late again now
                resolve(table, open.get(), h);
                open = Optional.empty();
                resolved = true;
            }
            if ("LATE".equals(h.status())) {
                String expectation = expectation(h.freshness());
                if (open.isPresent()) {
                    String named = why.answered() ? why.named() : open.get().cause();
                    incidents.update(open.get().id(), h, expectation, named, affected);
                    return Outcome.NONE;
                }
                if (affectedByUpstream) {
                    return resolved ? Outcome.RESOLVED : Outcome.NONE; // affected: the root's incident lists it
                }
                UUID id = UUID.randomUUID();
                boolean made = incidents.open(
                        id, table.id(), table.fullName(), table.catalog(), h, expectation, why.named(), affected);
                if (made) {
                    events.queue(
                            IncidentEvents.OPENED, incidents.get(id).orElseThrow(), table.catalog(), h.evaluatedAt());
                    log.info(
                            "incident opened: {} has had no data commit for {} (allowed {}); affects {}",
                            table.fullName(),
                            Duration.ofSeconds(h.stalenessSeconds()),
                            Duration.ofSeconds(h.freshness().allowedSilenceSeconds()),
                            affected);
                }
                return made ? Outcome.OPENED : resolved ? Outcome.RESOLVED : Outcome.NONE;
            }
            if (open.isPresent() && resolve(table, open.get(), h)) {
                return Outcome.RESOLVED;
            }
            return resolved ? Outcome.RESOLVED : Outcome.NONE;
        });
    }

    private static boolean dataArrivedSince(Incident open, TableHealth h) {
        return h.lastDataCommitAt() != null
                && (open.lastDataCommitAt() == null || h.lastDataCommitAt().isAfter(open.lastDataCommitAt()));
    }

    /** Resolves {@code open} and queues its event; false when another replica resolved it first. */
    private boolean resolve(TableRow table, Incident open, TableHealth h) {
        if (!incidents.resolve(open.id(), h.evaluatedAt(), h.lastDataCommitAt())) {
            return false;
        }
        events.queue(IncidentEvents.RESOLVED, incidents.get(open.id()).orElseThrow(), table.catalog(), h.evaluatedAt());
        log.info("incident resolved: {} has new data (now {})", table.fullName(), h.status());
        return true;
    }

    /** How the allowed silence was set, for people reading the incident. */
    static String expectation(TableHealth.Freshness f) {
        return switch (f.source()) {
            case "declared" -> "declared on " + f.declaredOn() + ": " + f.sla();
            case "learned" ->
                "learned (" + f.basis().replace('_', ' ') + "): usually quiet "
                        + Duration.ofSeconds(f.usualSilenceSeconds())
                                .toString()
                                .substring(2)
                                .toLowerCase(Locale.ROOT)
                        + " at this time";
            default -> "none";
        };
    }
}
