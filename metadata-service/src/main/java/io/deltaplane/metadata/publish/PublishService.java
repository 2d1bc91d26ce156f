package io.deltaplane.metadata.publish;

import static java.util.Objects.requireNonNull;

import io.deltaplane.support.problem.ApiException;
import java.time.Clock;
import java.util.Optional;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

/** Publish status and on-demand reconcile by table name. */
@Service
public class PublishService {

    public static final String TABLE_NOT_FOUND = "TABLE_NOT_FOUND";

    static final String TABLE_BY_NAME =
            "SELECT table_id FROM publish_state WHERE full_name = :fullName ORDER BY created_at DESC LIMIT 1";

    private final PublishRepository repository;
    private final Reconciler reconciler;
    private final JdbcClient jdbc;
    private final Clock clock;

    public PublishService(PublishRepository repository, Reconciler reconciler, JdbcClient jdbc, Clock clock) {
        this.repository = requireNonNull(repository, "repository");
        this.reconciler = requireNonNull(reconciler, "reconciler");
        this.jdbc = requireNonNull(jdbc, "jdbc");
        this.clock = requireNonNull(clock, "clock");
    }

    public PublishStatus status(String fullName) {
        UUID tableId = resolve(fullName);
        PublishState state = repository.state(tableId).orElseThrow(() -> notFound(fullName));
        return PublishStatus.of(state, state.tableVersion(), clock.instant());
    }

    /** For the table GET response; empty for a table the publisher has not seen. */
    public Optional<TablePublishInfo> info(UUID tableId) {
        return repository.state(tableId).map(s -> {
            long published = s.publishedVersion();
            return new TablePublishInfo(published < 0 ? null : published, s.lagVersions());
        });
    }

    public Reconciler.ReconcileReport reconcile(String fullName) {
        UUID tableId = resolve(fullName);
        return reconciler.reconcile(tableId, true, true).orElseThrow(() -> notFound(fullName));
    }

    UUID resolve(String fullName) {
        return jdbc.sql(TABLE_BY_NAME)
                .param("fullName", fullName)
                .query(UUID.class)
                .optional()
                .orElseThrow(() -> notFound(fullName));
    }

    private static ApiException notFound(String fullName) {
        return new ApiException(HttpStatus.NOT_FOUND, TABLE_NOT_FOUND, "Table '" + fullName + "' does not exist");
    }
}
