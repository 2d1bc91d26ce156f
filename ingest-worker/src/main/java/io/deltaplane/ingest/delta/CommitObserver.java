package io.deltaplane.ingest.delta;

/** Who a Delta sink tells about each version it commits: the lineage run writing the table. */
public interface CommitObserver {

    CommitObserver NONE = new CommitObserver() {
        @Override
        public String runId() {
            return null;
        }

        @Override
        public void committed(String table, String location, long version) {}
    };

    /** The run recorded in each commit's {@code commitInfo} (null: none). */
    String runId();

    /** {@code version} of {@code table} was committed by this sink. */
    void committed(String table, String location, long version);
}
