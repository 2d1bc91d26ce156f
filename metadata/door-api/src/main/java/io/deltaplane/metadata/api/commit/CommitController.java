package io.deltaplane.metadata.api.commit;

import static java.util.Objects.requireNonNull;

import io.deltaplane.metadata.commit.CommitIntent;
import io.deltaplane.metadata.commit.CommitPipeline;
import io.deltaplane.metadata.commit.CommitResponse;
import io.deltaplane.metadata.commit.Committed;
import io.deltaplane.metadata.names.TableName;
import io.deltaplane.support.problem.ApiException;
import io.deltaplane.support.problem.ErrorCode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /tables/{full_name}/commits} and {@code POST /transactions}: each request becomes a
 * {@link CommitIntent} for {@link CommitPipeline}, which authorizes it (MODIFY on every table).
 * Both accept {@code Idempotency-Key} (the platform filter replays the first response).
 */
@RestController
public class CommitController {

    private final CommitPipeline pipeline;

    public CommitController(CommitPipeline pipeline) {
        this.pipeline = requireNonNull(pipeline, "pipeline");
    }

    @PostMapping("/api/v1/tables/{fullName}/commits")
    @ResponseStatus(HttpStatus.CREATED)
    public CommitResponse commit(@PathVariable String fullName, @RequestBody CommitRequest request) {
        TableName table = TableName.parse(fullName);
        CommitIntent intent = request.expectedVersion() == null
                ? new CommitIntent.Append(table, request.readVersion(), request.actions(), request.operation())
                : new CommitIntent.AtVersion(table, request.expectedVersion(), request.actions(), request.operation());
        return pipeline.commit(intent).response();
    }

    @PostMapping("/api/v1/transactions")
    @ResponseStatus(HttpStatus.CREATED)
    public TransactionRequest.Response transaction(@RequestBody TransactionRequest request) {
        List<CommitIntent.Transaction.Part> parts = request.commits() == null
                ? List.of()
                : request.commits().stream().map(CommitController::part).toList();
        Committed committed = pipeline.commit(new CommitIntent.Transaction(parts));
        Map<String, Long> versions = new LinkedHashMap<>();
        committed.versions().forEach(written -> versions.put(written.fullName(), written.version()));
        return new TransactionRequest.Response(versions);
    }

    private static CommitIntent.Transaction.Part part(TransactionRequest.TableCommit commit) {
        if (commit == null) {
            throw ApiException.badRequest(ErrorCode.VALIDATION_FAILED, "commits must not hold null");
        }
        return new CommitIntent.Transaction.Part(
                TableName.parse(commit.table()),
                commit.expectedVersion(),
                commit.actions(),
                commit.operation(),
                commit.stagedCommit() == null ? null : commit.stagedCommit().fileName());
    }
}
