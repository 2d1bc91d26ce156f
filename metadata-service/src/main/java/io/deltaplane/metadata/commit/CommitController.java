package io.deltaplane.metadata.commit;

import static java.util.Objects.requireNonNull;

import io.deltaplane.support.access.AccessControl;
import io.deltaplane.support.access.Privilege;
import io.deltaplane.support.access.Securable;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /tables/{full_name}/commits} and {@code POST /transactions}. Both accept
 * {@code Idempotency-Key} (the platform filter replays the first response).
 */
@RestController
public class CommitController {

    private final AccessControl access;

    private final CommitService service;

    public CommitController(CommitService service, AccessControl access) {
        this.access = requireNonNull(access, "access");
        this.service = requireNonNull(service, "service");
    }

    @PostMapping("/api/v1/tables/{fullName}/commits")
    @ResponseStatus(HttpStatus.CREATED)
    public CommitResponse commit(@PathVariable String fullName, @RequestBody CommitRequest request) {
        access.require(Securable.table(fullName), Privilege.MODIFY);
        return service.commit(fullName, request);
    }

    @PostMapping("/api/v1/transactions")
    @ResponseStatus(HttpStatus.CREATED)
    public TransactionRequest.Response transaction(@RequestBody TransactionRequest request) {
        requireModifyOnEvery(request);
        return service.commitAll(request);
    }

    /**
     * A transaction needs MODIFY on every table it commits to, checked before any is touched (a
     * missing or malformed list is left to the service's validation).
     */
    private void requireModifyOnEvery(TransactionRequest request) {
        if (request == null || request.commits() == null) {
            return;
        }
        for (TransactionRequest.TableCommit commit : request.commits()) {
            if (commit != null && commit.table() != null) {
                access.require(Securable.table(commit.table()), Privilege.MODIFY);
            }
        }
    }
}
