package io.deltaplane.metadata.commit;

import static io.deltaplane.metadata.MetadataErrors.invalidAction;

import io.deltaplane.metadata.table.TableRow;
import io.deltaplane.support.problem.ApiException;
import io.deltaplane.support.problem.ErrorCode;
import org.postgresql.util.PSQLException;
import org.springframework.dao.DataIntegrityViolationException;

/**
 * The constraints a client's commit can trip (PostgreSQL's default names, V1), and the client's
 * error each one is: {@link CommitRepository}'s statements let Postgres decide, this names why.
 */
final class CommitConstraints {

    static final String FILES_LIVE_PATH = "files_live_path";
    static final String COMMITS_PKEY = "commits_pkey";
    static final String TABLES_PKEY = "tables_pkey";
    static final String TABLES_LOCATION_KEY = "tables_location_key";
    static final String TABLES_NAME_KEY = "tables_catalog_schema_name_key";
    static final String TABLES_SCHEMA_FKEY = "tables_catalog_schema_fkey";

    private CommitConstraints() {}

    /**
     * The one place a constraint a commit trips becomes the client's error; anything else is not
     * the client's doing and goes up as it is.
     *
     * @param created the table being created, when the statement was its insert
     */
    static RuntimeException clientError(DataIntegrityViolationException e, String fullName, TableRow created) {
        String constraint = constraint(e);
        if (FILES_LIVE_PATH.equals(constraint)) {
            return invalidAction("an add names a path that is already active; remove it in the same commit first");
        }
        if (created == null) {
            return e;
        }
        if (TABLES_SCHEMA_FKEY.equals(constraint)) {
            return new ApiException(
                    ErrorCode.SCHEMA_NOT_FOUND,
                    "Schema " + created.catalog() + "." + created.schema() + " does not exist");
        }
        if (TABLES_LOCATION_KEY.equals(constraint)) {
            return new ApiException(
                    ErrorCode.ALREADY_EXISTS, "Another table already uses the location " + created.location());
        }
        if (TABLES_PKEY.equals(constraint)) {
            return new ApiException(ErrorCode.ALREADY_EXISTS, "A table with id " + created.id() + " exists");
        }
        // TABLES_NAME_KEY, and whatever else stops the insert: the name is taken
        return new ApiException(ErrorCode.ALREADY_EXISTS, "Table " + fullName + " already exists");
    }

    static String constraint(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof PSQLException psql && psql.getServerErrorMessage() != null) {
                return psql.getServerErrorMessage().getConstraint();
            }
        }
        return null;
    }
}
