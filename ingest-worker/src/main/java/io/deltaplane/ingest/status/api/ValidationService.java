package io.deltaplane.ingest.status.api;

import static java.util.Objects.requireNonNull;

import io.deltaplane.ingest.mapping.MappingRepository;
import io.deltaplane.ingest.mapping.MappingSpec;
import io.deltaplane.ingest.mapping.MappingSpec.SourceSpec;
import io.deltaplane.ingest.mapping.StoredMapping;
import io.deltaplane.ingest.policy.EgressPolicy;
import io.deltaplane.ingest.sink.Warehouse;
import io.deltaplane.ingest.source.kafka.KafkaClientSettings;
import io.deltaplane.support.secrets.Secrets;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.TopicDescription;
import org.duckdb.DuckDBConnection;
import org.springframework.stereotype.Service;

/**
 * {@code POST /api/v1/ingest/validate}: for every mapping, can the source be reached with its
 * credentials (Kafka: describe the topic; Event Hubs: the connection string is present and well
 * formed — AMQP is only contacted by the running processor) and is the sink's database there.
 * Errors name what failed, never a secret.
 */
@Service
public class ValidationService {

    static final int TIMEOUT_MS = 5_000;

    private final MappingRepository repository;
    private final KafkaClientSettings kafka;
    private final Warehouse warehouse;
    private final Secrets secrets;

    public ValidationService(
            MappingRepository repository, KafkaClientSettings kafka, Warehouse warehouse, Secrets secrets) {
        this.repository = requireNonNull(repository, "repository");
        this.kafka = requireNonNull(kafka, "kafka");
        this.warehouse = requireNonNull(warehouse, "warehouse");
        this.secrets = requireNonNull(secrets, "secrets");
    }

    public record Check(boolean ok, String detail) {}

    public record MappingReport(String name, Check source, Check sink) {}

    public record Report(boolean ok, List<MappingReport> mappings) {}

    public Report validateAll() {
        List<MappingReport> reports = new ArrayList<>();
        for (StoredMapping m : repository.findAll()) {
            reports.add(new MappingReport(m.name(), source(m.spec()), sink(m.spec())));
        }
        boolean ok = reports.stream().allMatch(r -> r.source().ok() && r.sink().ok());
        return new Report(ok, reports);
    }

    /** Whether the source answers; every failure reads the same, so validate is no port scanner. */
    Check source(MappingSpec mapping) {
        SourceSpec source = mapping.source();
        try {
            if (SourceSpec.EVENTHUBS.equals(source.type())) {
                String connection = secrets.require(source.connectionStringEnv());
                boolean wellFormed = connection.contains("Endpoint=sb://")
                        && (connection.contains("SharedAccessKeyName=")
                                || connection.contains("SharedAccessSignature="));
                return wellFormed
                        ? new Check(true, "connection string present in " + source.connectionStringEnv())
                        : new Check(false, source.connectionStringEnv() + " is not an Event Hubs connection string");
            }
            Map<String, Object> props = kafka.connection(source);
            props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, TIMEOUT_MS);
            props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, TIMEOUT_MS);
            try (Admin admin = Admin.create(props)) {
                TopicDescription topic = admin.describeTopics(List.of(source.topic()))
                        .allTopicNames()
                        .get(TIMEOUT_MS, TimeUnit.MILLISECONDS)
                        .get(source.topic());
                return new Check(
                        true,
                        "topic " + source.topic() + " has " + topic.partitions().size() + " partitions");
            }
        } catch (Secrets.SecretNotAllowedException
                | Secrets.MissingSecretException
                | EgressPolicy.EgressDeniedException e) {
            // The operator's policy, not the network: saying which rule is no information about hosts.
            return new Check(false, kafka.redact(e.getMessage()));
        } catch (Exception e) {
            return new Check(false, "not reachable");
        }
    }

    Check sink(MappingSpec mapping) {
        String database = mapping.target().database() == null
                ? warehouse.defaultDatabase()
                : mapping.target().database();
        try (DuckDBConnection c = warehouse.connect();
                PreparedStatement ps =
                        c.prepareStatement("SELECT count(*) FROM duckdb_databases() WHERE database_name = ?")) {
            ps.setString(1, database);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                boolean exists = rs.getLong(1) > 0;
                c.rollback();
                return exists
                        ? new Check(true, "database " + database + " in " + warehouse.target())
                        : new Check(false, "database " + database + " is not attached to " + warehouse.target());
            }
        } catch (SQLException e) {
            return new Check(false, "DuckDB: " + e.getMessage());
        }
    }
}
