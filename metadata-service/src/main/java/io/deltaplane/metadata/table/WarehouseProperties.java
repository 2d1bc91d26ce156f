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
 * @param root the warehouse directory ({@code DELTAPLANE_WAREHOUSE_DIR}), made absolute against the
 *     working directory: tables created without a location live at {@code <root>/<catalog>/<schema>/<table>}
 * @param storageRoots the directories (absolute paths or {@code file:} URIs) under which an operator
 *     allows tables with an explicit location, and imports ({@code DELTAPLANE_STORAGE_ROOTS},
 *     comma-separated); the warehouse root is always one
 */
@Validated
@ConfigurationProperties("deltaplane.warehouse")
public record WarehouseProperties(
        @NotBlank @DefaultValue(".platform/warehouse") String root,
        @DefaultValue({}) List<String> storageRoots) {

    public WarehouseProperties {
        if (root != null && !root.isBlank()) {
            root = Path.of(root).toAbsolutePath().normalize().toString();
        }
        storageRoots = storageRoots == null
                ? List.of()
                : storageRoots.stream()
                        .filter(r -> !r.isBlank())
                        .map(String::strip)
                        .toList();
    }

    public Path rootPath() {
        return Path.of(root);
    }
}
