package io.deltaplane.metadata.table;

import jakarta.validation.constraints.NotBlank;
import java.nio.file.Path;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Where tables may live ({@code deltaplane.warehouse.*}).
 *
 * @param root the local warehouse directory ({@code DELTAPLANE_WAREHOUSE_DIR}), made absolute
 *     against the working directory: tables created without a location live at {@code
 *     <warehouse>/<catalog>/<schema>/<table>}
 * @param uri the warehouse on object storage instead ({@code DELTAPLANE_WAREHOUSE_URI}: {@code
 *     s3://bucket/prefix}, {@code abfss://container@account.dfs.core.windows.net/prefix}); empty: the
 *     local directory
 * @param storageRoots the directories (absolute paths or {@code file:} URIs) and object store
 *     prefixes under which an operator allows tables with an explicit location, and imports ({@code
 *     DELTAPLANE_STORAGE_ROOTS}, comma-separated); the warehouse is always one
 */
@Validated
@ConfigurationProperties("deltaplane.warehouse")
public record WarehouseProperties(
        @NotBlank @DefaultValue(".platform/warehouse") String root,
        String uri,
        @DefaultValue({}) List<String> storageRoots) {

    public WarehouseProperties {
        if (root != null && TableLocations.isObjectStore(root.strip())) {
            // Path.of("s3://b/p") is a relative local path: say where an object store warehouse goes.
            throw new IllegalArgumentException("deltaplane.warehouse.root (DELTAPLANE_WAREHOUSE_DIR) is a local"
                    + " directory, got " + root + "; a warehouse on object storage is DELTAPLANE_WAREHOUSE_URI");
        }
        if (root != null && !root.isBlank()) {
            root = Path.of(root).toAbsolutePath().normalize().toString();
        }
        uri = uri == null || uri.isBlank() ? null : TableLocations.normalise(uri.strip());
        if (uri != null && !TableLocations.isObjectStore(uri)) {
            throw new IllegalArgumentException(
                    "deltaplane.warehouse.uri (DELTAPLANE_WAREHOUSE_URI) is for object storage (s3://, abfss://),"
                            + " got " + uri + "; a local warehouse is DELTAPLANE_WAREHOUSE_DIR");
        }
        storageRoots = storageRoots == null
                ? List.of()
                : storageRoots.stream()
                        .filter(r -> !r.isBlank())
                        .map(String::strip)
                        .toList();
    }

    /** True when the warehouse is an object store prefix rather than a local directory. */
    public boolean onObjectStore() {
        return uri != null;
    }

    /** The local warehouse directory (only when not {@link #onObjectStore()}). */
    public Path rootPath() {
        if (onObjectStore()) {
            throw new IllegalStateException("the warehouse is on object storage: " + uri);
        }
        return Path.of(root);
    }

    /** The warehouse as a table location: {@code file:/…} or the object store URI. */
    public String location() {
        return onObjectStore() ? uri : TableLocations.of(Path.of(root));
    }
}
