package io.deltaplane.metadata.commit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.deltaplane.metadata.MetadataTestBase;
import io.deltaplane.metadata.commit.CommitRepository.Append;
import io.deltaplane.metadata.commit.CommitRepository.Appended;
import io.deltaplane.metadata.delta.ActionParser.TableState;
import io.deltaplane.metadata.delta.CommitActions.AddFile;
import io.deltaplane.metadata.table.TableRepository;
import io.deltaplane.metadata.table.TableRow;
import io.deltaplane.support.problem.ApiException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;

/**
 * The repository's one constraint-to-error mapping, tripped for real against Postgres: each
 * constraint a client's commit or table creation can hit comes back as the same code, status and
 * wording the HTTP API has always answered. Each call runs in its own transaction, which the error
 * rolls back.
 */
class CommitRepositoryTest extends MetadataTestBase {

    @Autowired
    CommitRepository repository;

    @Autowired
    CasMiss casMiss;

    @Autowired
    TableRepository tables;

    @Autowired
    TransactionTemplate tx;

    @Autowired
    org.springframework.jdbc.core.simple.JdbcClient jdbcClient;

    private TableRow table;

    @BeforeEach
    void tableWithOneFile() {
        String fullName = newTable();
        ok(commit(fullName, 0, add("live.parquet", 10)), 201);
        table = tables.require(fullName);
    }

    @Test
    void aSecondTableWithTheSameIdIsAlreadyExists() {
        ApiException e = createFails(copy(table.id(), "other", table.location() + "-other"));
        assertThat(e.status().value()).isEqualTo(409);
        assertThat(e.errorCode()).isEqualTo("ALREADY_EXISTS");
        assertThat(e.getMessage()).isEqualTo("A table with id " + table.id() + " exists");
    }

    @Test
    void aSecondTableAtTheSameLocationIsAlreadyExists() {
        ApiException e = createFails(copy(UUID.randomUUID(), "other", table.location()));
        assertThat(e.status().value()).isEqualTo(409);
        assertThat(e.errorCode()).isEqualTo("ALREADY_EXISTS");
        assertThat(e.getMessage()).isEqualTo("Another table already uses the location " + table.location());
    }

    @Test
    void aSecondTableWithTheSameNameIsAlreadyExists() {
        ApiException e = createFails(copy(UUID.randomUUID(), table.name(), table.location() + "-other"));
        assertThat(e.status().value()).isEqualTo(409);
        assertThat(e.errorCode()).isEqualTo("ALREADY_EXISTS");
        assertThat(e.getMessage()).isEqualTo("Table " + table.fullName() + " already exists");
    }

    @Test
    void aTableInAMissingSchemaIsSchemaNotFound() {
        TableRow orphan = new TableRow(
                UUID.randomUUID(),
                table.catalog(),
                "nope",
                "t",
                table.location() + "-orphan",
                0,
                Instant.now(),
                List.of(),
                null,
                null,
                null,
                false,
                List.of());
        ApiException e = createFails(orphan);
        assertThat(e.status().value()).isEqualTo(404);
        assertThat(e.errorCode()).isEqualTo("SCHEMA_NOT_FOUND");
        assertThat(e.getMessage()).isEqualTo("Schema " + table.catalog() + ".nope does not exist");
    }

    @Test
    void aVersionAlreadyWrittenIsNotTakenAndAVersionConflict() {
        Optional<Appended> stale =
                tx.execute(s -> repository.append(append(0, List.of(new AddFile("new.parquet", 1, "{}")))));
        assertThat(stale).isEmpty();
        ApiException e = casMiss.explain(table.id(), table.fullName(), 0);
        assertThat(e.status().value()).isEqualTo(409);
        assertThat(e.errorCode()).isEqualTo("VERSION_CONFLICT");
        assertThat(e.properties()).containsEntry("current_version", 1L).containsEntry("table", table.fullName());
    }

    @Test
    void addingALivePathIsAnInvalidAction() {
        ApiException e = commitFails(1, List.of(new AddFile("live.parquet", 1, "{}")));
        assertThat(e.status().value()).isEqualTo(400);
        assertThat(e.errorCode()).isEqualTo("INVALID_ACTION");
        assertThat(e.getMessage()).contains("already active");
    }

    /**
     * A table that tracks row ids takes no version whose row ids were not checked against its stored
     * state: a fast-path commit prepared on a state cached before the table gained the feature (on
     * this replica or another) misses its compare-and-swap and is redone on the general path.
     */
    @Test
    void aTableThatTracksRowIdsTakesNoUncheckedVersion() {
        jdbcClient
                .sql("UPDATE tables SET row_tracking = true WHERE id = ?")
                .param(table.id())
                .update();
        List<AddFile> adds = List.of(new AddFile("unchecked.parquet", 1, "{\"path\":\"unchecked.parquet\"}"));
        Optional<Appended> unchecked = tx.execute(s -> repository.append(append(1, adds, false)));
        assertThat(unchecked).isEmpty();
        assertThat(tables.require(table.fullName()).currentVersion()).isEqualTo(1);
        Optional<Appended> checked = tx.execute(s -> repository.append(append(1, adds, true)));
        assertThat(checked).isPresent();
        assertThat(tables.require(table.fullName()).currentVersion()).isEqualTo(2);
    }

    private ApiException createFails(TableRow row) {
        return apiException(catchThrowable(
                () -> tx.executeWithoutResult(s -> repository.insertTable(row, new String[0], null, Instant.now()))));
    }

    /**
     * A commit made under an Idempotency-Key lands only while its request still holds the key (a retry
     * that took the key over after the lease ran out has it now), and records on the key where it
     * landed, in the same statement.
     */
    @Test
    void aCommitUnderAnIdempotencyKeyLandsOnlyWhileItsRequestHoldsTheKeyAndRecordsWhereItLanded() {
        UUID held = UUID.randomUUID();
        String key = UUID.randomUUID().toString();
        jdbcClient
                .sql("INSERT INTO platform.idempotency_keys (scope, idem_key, request_hash, created_at, token,"
                        + " lease_until) VALUES ('test', ?, '\\x00', now(), ?, now() + interval '1 minute')")
                .params(key, held)
                .update();
        List<AddFile> adds = List.of(new AddFile("keyed.parquet", 10, "{\"path\":\"keyed.parquet\"}"));

        Appended landed =
                tx.execute(s -> repository.append(append(1, adds, true, held))).orElseThrow();
        JsonNode outcome = JSON.readTree(jdbcClient
                .sql("SELECT landed::text FROM platform.idempotency_keys WHERE token = ?")
                .param(held)
                .query(String.class)
                .single());
        assertThat(outcome.get(table.fullName()).get("version").asLong()).isEqualTo(2);
        assertThat(OffsetDateTime.parse(outcome.get(table.fullName())
                                .get("committed_at")
                                .asString())
                        .toInstant())
                .isEqualTo(landed.committedAt());

        // a retry takes the key over: the first request's token holds it no more
        jdbcClient
                .sql("UPDATE platform.idempotency_keys SET token = ? WHERE idem_key = ?")
                .params(UUID.randomUUID(), key)
                .update();
        List<AddFile> more = List.of(new AddFile("late.parquet", 10, "{\"path\":\"late.parquet\"}"));
        Optional<Appended> stale = tx.execute(s -> repository.append(append(2, more, true, held)));
        assertThat(stale).as("the stale request's commit").isEmpty();
        assertThat(tables.require(table.fullName()).currentVersion()).isEqualTo(2);
    }

    private ApiException commitFails(long expected, List<AddFile> adds) {
        return apiException(
                catchThrowable(() -> tx.executeWithoutResult(s -> repository.append(append(expected, adds)))));
    }

    private Append append(long expected, List<AddFile> adds) {
        return append(expected, adds, true);
    }

    private Append append(long expected, List<AddFile> adds, boolean rowIdsChecked) {
        return append(expected, adds, rowIdsChecked, null);
    }

    private Append append(long expected, List<AddFile> adds, boolean rowIdsChecked, UUID idempotencyToken) {
        return new Append(
                new TableState(table.id(), table.location(), table.partitionColumns()),
                table.fullName(),
                expected,
                null,
                null,
                null,
                List.of(),
                0,
                0,
                adds,
                "WRITE",
                "{}",
                "[]",
                Instant.now(),
                null,
                idempotencyToken,
                null,
                false,
                rowIdsChecked);
    }

    private static ApiException apiException(Throwable thrown) {
        assertThat(thrown).isInstanceOf(ApiException.class);
        return (ApiException) thrown;
    }

    private TableRow copy(UUID id, String name, String location) {
        return new TableRow(
                id,
                table.catalog(),
                table.schema(),
                name,
                location,
                0,
                Instant.now(),
                List.of(),
                null,
                null,
                null,
                false,
                List.of());
    }
}
