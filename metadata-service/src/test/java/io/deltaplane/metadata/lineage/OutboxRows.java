package io.deltaplane.metadata.lineage;

import static java.util.Objects.requireNonNull;

import io.deltaplane.metadata.commit.CommitOutbox;
import io.deltaplane.support.request.RequestIds;
import java.sql.Types;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Writes an outbox's rows for a version the way the commit statement does, without the rest of a
 * commit: the outbox's own CTEs after a {@code cas} row that stands for the version just taken,
 * with the statement's parameters, then its {@link CommitOutbox#written()} hook.
 */
final class OutboxRows {

    /** A version as the commit statement knows it when it writes the outbox rows. */
    record Version(UUID tableId, String fullName, String location, long version, Instant committedAt, UUID runId) {

        /** A version whose commitInfo names no lineage run. */
        Version(UUID tableId, String fullName, String location, long version, Instant committedAt) {
            this(tableId, fullName, location, version, committedAt, null);
        }
    }

    private static final String CAS =
            "WITH cas AS (SELECT CAST(:id AS uuid) AS id, CAST(:committedAt AS timestamptz) AS last_committed_at),\n";

    private final JdbcClient jdbc;
    private final Clock clock;

    OutboxRows(JdbcClient jdbc, Clock clock) {
        this.jdbc = requireNonNull(jdbc, "jdbc");
        this.clock = requireNonNull(clock, "clock");
    }

    void write(CommitOutbox outbox, Version version) {
        jdbc.sql(CAS + outbox.ctes() + "\nSELECT 1")
                .param("id", version.tableId())
                .param("committedAt", OffsetDateTime.ofInstant(version.committedAt(), ZoneOffset.UTC))
                .param("fullName", version.fullName())
                .param("location", version.location())
                .param("version", version.version())
                .param("requestId", RequestIds.current(), Types.VARCHAR)
                .param("runId", version.runId() == null ? null : version.runId().toString(), Types.VARCHAR)
                .param("outboxNow", OffsetDateTime.ofInstant(clock.instant(), ZoneOffset.UTC))
                .query(Integer.class)
                .single();
        outbox.written();
    }
}
