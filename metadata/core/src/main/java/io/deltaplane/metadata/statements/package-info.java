/**
 * How many SQL statements each commit request costs, by the door it came through. {@link
 * io.deltaplane.metadata.statements.CountingDataSource} wraps the application's {@code DataSource}
 * (a bean post-processor, {@link io.deltaplane.metadata.statements.StatementCountConfiguration}) and
 * counts every statement a connection executes, and every COMMIT and ROLLBACK, into the tally of the
 * thread that runs it ({@link io.deltaplane.metadata.statements.StatementCount}, a ThreadLocal: no
 * lock, no allocation per statement). {@link io.deltaplane.metadata.statements.CommitStatementsFilter}
 * opens a tally for each commit request and exports it as {@code deltaplane.commit.sql.statements}
 * ({@code door}: {@code api}, {@code transactions}, {@code unity}, {@code legacy}). A commit written
 * by another request's thread (group commit) is counted in its own request's tally: the writer runs
 * it under that tally ({@link io.deltaplane.metadata.statements.StatementCount#countedIn}); the
 * group's one COMMIT is the writer's. Every statement, whoever runs it, is also counted by the part
 * of the service whose thread ran it ({@link io.deltaplane.metadata.statements.StatementsByPart}:
 * the requests, or a background loop by name), exported as {@code deltaplane.sql.statements}, so
 * what a commit causes after its answer is counted too. Depends on no other package of this module.
 */
package io.deltaplane.metadata.statements;
