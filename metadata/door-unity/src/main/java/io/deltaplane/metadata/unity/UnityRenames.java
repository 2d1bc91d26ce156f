package io.deltaplane.metadata.unity;

import io.deltaplane.support.problem.ApiException;
import io.deltaplane.support.problem.ErrorCode;
import java.util.function.Supplier;

/**
 * Unity Catalog's answer to a rename ({@code new_name}) onto a name that is taken. Its server
 * answers HTTP 400 with its own code — {@code CATALOG_ALREADY_EXISTS}, {@code SCHEMA_ALREADY_EXISTS},
 * {@code TABLE_ALREADY_EXISTS}, {@code RESOURCE_ALREADY_EXISTS} for a volume (UC 0.6's {@code
 * ErrorCode} keeps these at 400 for backwards compatibility; its {@code *Repository.update*} throw
 * them) — where the services answer 409 {@code ALREADY_EXISTS}, as for every other taken name. The
 * other answers of a rename are already UC's: a malformed name 400 {@code INVALID_ARGUMENT}, a
 * missing source 404 {@code NOT_FOUND}.
 */
final class UnityRenames {

    private UnityRenames() {}

    /**
     * Runs an update (only its rename can find a name taken); a taken new name becomes UC's {@code
     * unityCode} (400), with the same message.
     */
    static <T> T update(ErrorCode unityCode, Supplier<T> update) {
        try {
            return update.get();
        } catch (ApiException e) {
            if (!e.is(ErrorCode.ALREADY_EXISTS)) {
                throw e;
            }
            throw ApiException.badRequest(unityCode, e.getMessage());
        }
    }
}
