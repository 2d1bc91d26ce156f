package io.deltaplane.client;

/** The work of a job run by {@link io.deltaplane.client.Deltaplane#runJob}. */
@FunctionalInterface
public interface JobBody {
    void run(JobContext job) throws Exception;
}
