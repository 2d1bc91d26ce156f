package io.deltaplane.ingest.delta;

/**
 * The lineage run a Delta sink's commits name in their {@code commitInfo}, and who hears of each
 * version committed. The version reaches lineage from metadata-service (its lineage outbox), already
 * linked to the run: nothing here reports it a second time.
 */
public interface CommitObserver {

    CommitObserver NONE = () -> null;

    /** The run recorded in each commit's {@code commitInfo} (null: none). */
    String runId();

    /** {@code version} of {@code table} was committed by this sink (a benchmark times commits here). */
    default void committed(String table, String location, long version) {}
}
