package io.deltaplane.metadata.commit;

import static java.util.Objects.requireNonNull;

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

    private final CommitService service;

    public CommitController(CommitService service) {
        this.service = requireNonNull(service, "service");
    }

    @PostMapping("/api/v1/tables/{fullName}/commits")
    @ResponseStatus(HttpStatus.CREATED)
    public CommitResponse commit(@PathVariable String fullName, @RequestBody CommitRequest request) {
        return service.commit(fullName, request);
    }

    @PostMapping("/api/v1/transactions")
    @ResponseStatus(HttpStatus.CREATED)
    public TransactionRequest.Response transaction(@RequestBody TransactionRequest request) {
        return service.commitAll(request);
    }
}
