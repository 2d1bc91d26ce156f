package io.deltaplane.testing;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * Every client operation of a fault-injection run, with when it was invoked and completed and what
 * it was told: the record a history checker judges, as Jepsen's histories are.
 */
public final class CommitHistory {

    /** What a client was told. */
    public enum Outcome {
        /** 201: the commit happened, at the versions given. */
        ACKNOWLEDGED,
        /** A 4xx (409 conflict): the commit did not happen. */
        REFUSED,
        /** 503, or the connection broke: the commit may or may not have happened. */
        INDETERMINATE,
        /** Any other 5xx: a platform bug whatever happened. */
        SERVER_ERROR
    }

    /**
     * One commit or multi-table transaction.
     *
     * @param paths the data file each table's version adds, unique to this operation
     * @param versions the version of each table a 201 named (empty otherwise)
     */
    public record Operation(
            String kind,
            Map<String, String> paths,
            long invokedNanos,
            long completedNanos,
            Outcome outcome,
            int status,
            Map<String, Long> versions,
            String answer) {}

    private final List<Operation> operations = Collections.synchronizedList(new ArrayList<>());

    public void record(Operation operation) {
        operations.add(operation);
    }

    public List<Operation> operations() {
        synchronized (operations) {
            return List.copyOf(operations);
        }
    }

    public long count(Outcome outcome) {
        return operations().stream().filter(o -> o.outcome() == outcome).count();
    }

    /** Completion times of acknowledged operations, in order: the gaps between them are outages. */
    public List<Long> acknowledgedAt() {
        return operations().stream()
                .filter(o -> o.outcome() == Outcome.ACKNOWLEDGED)
                .map(Operation::completedNanos)
                .sorted()
                .toList();
    }
}
