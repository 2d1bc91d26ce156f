package io.deltaplane.support.db;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Prints what is wrong and how to fix it instead of a wall of stack traces. */
public final class PostgresUnreachableFailureAnalyzer extends AbstractFailureAnalyzer<PostgresUnreachableException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, PostgresUnreachableException cause) {
        return new FailureAnalysis(
                "Deltaplane could not connect to its Postgres metadata store at " + cause.url() + ".\n\nReason: "
                        + cause.getCause().getMessage(),
                "Start Postgres (on Debian: pg_ctlcluster <version> main start), or point the service at a"
                        + " reachable server with DELTAPLANE_DB_URL, DELTAPLANE_DB_USER and DELTAPLANE_DB_PASSWORD.",
                cause);
    }
}
