package io.deltaplane.metadata.commit;

import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

/**
 * A version committed by a request sent with an {@code Idempotency-Key} records, in the commit's own
 * statement, where it landed on the key's row ({@code platform.idempotency_keys.landed}, under the
 * claim's token, {@code :idempotencyToken}; nothing for a request without a key): should the
 * request's process die before it stores its answer, the retry that takes the key over is answered
 * from this ({@code io.deltaplane.metadata.api.commit.CommitLandedAnswers}) and never commits again.
 * A multi-table transaction records each of its tables.
 */
@Component
@Order(3)
public class IdempotentOutcomes implements CommitOutbox {

    static final String MARK_CTE = """
            idem AS (UPDATE platform.idempotency_keys k
              SET landed = coalesce(k.landed, '{}'::jsonb) || jsonb_build_object(CAST(:fullName AS text),
                jsonb_build_object('version', CAST(:version AS bigint), 'committed_at', cas.last_committed_at))
              FROM cas WHERE k.token = CAST(:idempotencyToken AS uuid) AND k.status IS NULL)""";

    @Override
    public String ctes() {
        return MARK_CTE;
    }

    @Override
    public void written() {}
}
