package io.deltaplane.metadata.health;

import static java.util.Objects.requireNonNull;

import io.deltaplane.support.problem.ApiException;
import io.deltaplane.support.problem.ErrorCode;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The one writer of {@code health_webhooks}. */
@Repository
class WebhookSubscriptions {

    private static final String COLUMNS =
            "id, name, owner, url, url_secret, signing_secret, format, catalog, created_at";
    static final String INSERT = "INSERT INTO health_webhooks (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)";
    static final String ALL = "SELECT " + COLUMNS + " FROM health_webhooks ORDER BY name";
    static final String BY_NAME = "SELECT " + COLUMNS + " FROM health_webhooks WHERE name = ?";
    static final String BY_ID = "SELECT " + COLUMNS + " FROM health_webhooks WHERE id = ?";
    static final String DELETE = "DELETE FROM health_webhooks WHERE id = ?";

    private final JdbcClient jdbc;

    WebhookSubscriptions(JdbcClient jdbc) {
        this.jdbc = requireNonNull(jdbc, "jdbc");
    }

    HealthWebhook add(HealthWebhook webhook) {
        try {
            jdbc.sql(INSERT)
                    .params(
                            webhook.id(),
                            webhook.name(),
                            webhook.owner(),
                            webhook.url(),
                            webhook.urlSecret(),
                            webhook.signingSecret(),
                            webhook.format(),
                            webhook.catalogName(),
                            Timestamp.from(webhook.createdAt()))
                    .update();
        } catch (DuplicateKeyException e) {
            throw new ApiException(ErrorCode.ALREADY_EXISTS, "A webhook named " + webhook.name() + " exists.");
        }
        return webhook;
    }

    List<HealthWebhook> all() {
        return jdbc.sql(ALL).query(WebhookSubscriptions::row).list();
    }

    Optional<HealthWebhook> named(String name) {
        return jdbc.sql(BY_NAME).param(name).query(WebhookSubscriptions::row).optional();
    }

    Optional<HealthWebhook> get(UUID id) {
        return jdbc.sql(BY_ID).param(id).query(WebhookSubscriptions::row).optional();
    }

    void remove(UUID id) {
        jdbc.sql(DELETE).param(id).update();
    }

    private static HealthWebhook row(ResultSet rs, int n) throws SQLException {
        return new HealthWebhook(
                rs.getObject(1, UUID.class),
                rs.getString(2),
                rs.getString(3),
                rs.getString(4),
                rs.getString(5),
                rs.getString(6),
                rs.getString(7),
                rs.getString(8),
                rs.getTimestamp(9).toInstant());
    }
}
