package io.deltaplane.storage;

import static java.util.Objects.requireNonNull;

import io.deltaplane.support.problem.ApiException;
import io.deltaplane.support.problem.ErrorCode;
import java.util.List;

/** Picks the {@link Storage} that serves a table location. */
public class Storages {

    private final List<Storage> storages;

    public Storages(List<Storage> storages) {
        this.storages = List.copyOf(requireNonNull(storages, "storages"));
    }

    public Storage forLocation(String location) {
        for (Storage storage : storages) {
            if (storage.supports(location)) {
                return storage;
            }
        }
        throw new ApiException(
                ErrorCode.UNSUPPORTED_LOCATION,
                "No storage serves location '" + location + "'; only local file system locations are supported");
    }
}
