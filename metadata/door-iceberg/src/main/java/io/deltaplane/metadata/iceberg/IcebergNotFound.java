package io.deltaplane.metadata.iceberg;

import io.deltaplane.support.problem.ApiException;
import io.deltaplane.support.problem.ErrorCode;
import java.util.function.Supplier;

/**
 * A missing namespace or table said in Iceberg's words, which Iceberg's clients and its
 * compatibility kit read: "Namespace does not exist: ns", "Table does not exist: ns.tbl" (a table
 * in a namespace that does not exist is a missing table, as Iceberg's own catalogs answer).
 */
final class IcebergNotFound {

    private IcebergNotFound() {}

    static <T> T namespace(String namespace, Supplier<T> call) {
        try {
            return call.get();
        } catch (ApiException e) {
            if (e.is(ErrorCode.SCHEMA_NOT_FOUND)) {
                throw ApiException.notFound(ErrorCode.SCHEMA_NOT_FOUND, "Namespace does not exist: " + namespace);
            }
            throw e;
        }
    }

    static <T> T table(String namespace, String table, Supplier<T> call) {
        try {
            return call.get();
        } catch (ApiException e) {
            if (e.is(ErrorCode.SCHEMA_NOT_FOUND) || e.is(ErrorCode.TABLE_NOT_FOUND)) {
                throw ApiException.notFound(
                        ErrorCode.TABLE_NOT_FOUND, "Table does not exist: " + namespace + "." + table);
            }
            throw e;
        }
    }
}
