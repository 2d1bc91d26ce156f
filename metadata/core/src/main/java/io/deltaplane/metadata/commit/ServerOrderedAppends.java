package io.deltaplane.metadata.commit;

import static io.deltaplane.metadata.MetadataErrors.invalidAction;
import static java.util.Objects.requireNonNull;

import io.deltaplane.metadata.commit.TableStateReads.TableHead;
import io.deltaplane.metadata.delta.ActionParser;
import io.deltaplane.metadata.delta.CommitActions;
import io.deltaplane.support.problem.ApiException;
import io.deltaplane.support.problem.ErrorCode;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;

/**
 * Delta's conflict rules for an append the platform places itself ({@code expected_version}
 * omitted): under WriteSerializable, blind appends never conflict with each other, so a commit
 * that only adds files (and may carry {@code txn} and {@code domainMetadata}) is written at the
 * table's next version, behind the table's row lock, instead of failing a compare-and-swap. What
 * committed since the writer's {@code read_version} still conflicts when it changed what the
 * writer's files were written against — the table's metaData or protocol — or recorded a {@code
 * txn} of one of the writer's application ids (exactly-once needs the writer to see it first):
 * then 409 naming the version and why.
 */
@Component
class ServerOrderedAppends {

    /** The first version after {@code :read} up to {@code :head} that changed metaData or protocol, and which. */
    static final String SCHEMA_CHANGES = """
            SELECT version, kind FROM (
              SELECT version, 'metaData' AS kind FROM metadata_versions
                WHERE table_id = :id AND version > :read AND version <= :head
              UNION ALL
              SELECT version, 'protocol' FROM protocol_versions
                WHERE table_id = :id AND version > :read AND version <= :head) changes
            ORDER BY version LIMIT 1""";

    /** The first version after {@code :read} that recorded a txn of one of {@code :apps}. */
    static final String TXN_CHANGES = """
            SELECT version, app_id FROM app_txns
            WHERE table_id = :id AND app_id = ANY(CAST(:apps AS text[])) AND version > :read AND version <= :head
            ORDER BY version LIMIT 1""";

    private final JdbcClient jdbc;

    ServerOrderedAppends(JdbcClient jdbc) {
        this.jdbc = requireNonNull(jdbc, "jdbc");
    }

    /**
     * {@code actions}, a blind append, as the version after {@code current}, the version the
     * pipeline found under the table's row lock ({@code head} is the table at {@code current}):
     * 400 unless it only appends, 409 when what committed since {@code readVersion} (null: nothing
     * is checked) conflicts with it.
     */
    CommitWriter.Version place(
            TableHead head,
            long current,
            String fullName,
            Long readVersion,
            List<JsonNode> actions,
            String operation,
            Instant now) {
        CommitActions parsed = ActionParser.parse(actions, head.state());
        requireBlindAppend(fullName, parsed);
        if (readVersion != null) {
            check(head.state().tableId(), fullName, readVersion, current, parsed);
        }
        return new CommitWriter.Version(
                head.state(), fullName, current, head.liveFiles(), parsed, operation, now, null);
    }

    /** 400 unless the commit only appends: no remove, metaData or protocol. */
    private static void requireBlindAppend(String fullName, CommitActions actions) {
        if (!actions.removes().isEmpty() || actions.metadata() != null || actions.protocol() != null) {
            throw invalidAction("a commit to " + fullName + " without expected_version appends files only;"
                    + " a commit that removes files or changes the metaData or protocol names expected_version");
        }
    }

    /** The first version in (read, head] that {@code query} finds, as a 409 saying {@code why} of its second column. */
    private Optional<ApiException> firstConflict(
            JdbcClient.StatementSpec query,
            String fullName,
            long readVersion,
            long head,
            java.util.function.Function<String, String> why) {
        return query.param("read", readVersion)
                .param("head", head)
                .query((rs, n) -> conflict(fullName, readVersion, head, rs.getLong(1), why.apply(rs.getString(2))))
                .optional();
    }

    /**
     * 409 when a version after {@code readVersion} (up to {@code head}, the version the append goes
     * after) changed the metaData or protocol, or recorded a txn of the commit's application ids.
     */
    private void check(UUID tableId, String fullName, long readVersion, long head, CommitActions actions) {
        if (readVersion > head) {
            throw ApiException.badRequest(
                    ErrorCode.VALIDATION_FAILED,
                    "read_version " + readVersion + " is beyond the table's version " + head);
        }
        // both queries answer (version, what) for the first conflicting version, if any
        String[] apps = actions.txns().stream().map(t -> t.appId()).toArray(String[]::new);
        Optional<ApiException> conflict = firstConflict(
                        jdbc.sql(SCHEMA_CHANGES).param("id", tableId),
                        fullName,
                        readVersion,
                        head,
                        what -> "changed the table's " + what + ", which the appended files were written"
                                + " against; read the table again")
                .or(() -> apps.length == 0
                        ? Optional.empty()
                        : firstConflict(
                                jdbc.sql(TXN_CHANGES).param("id", tableId).param("apps", apps),
                                fullName,
                                readVersion,
                                head,
                                app -> "recorded a txn of application " + app + "; read its version before writing"));
        if (conflict.isPresent()) {
            throw conflict.get();
        }
    }

    private static ApiException conflict(String fullName, long read, long head, long version, String why) {
        return new ApiException(
                ErrorCode.VERSION_CONFLICT,
                "the append to " + fullName + " read version " + read + " but version " + version + " " + why
                        + " (the table is at " + head + ")",
                Map.of("conflicting_version", version, "current_version", head, "table", fullName));
    }
}
