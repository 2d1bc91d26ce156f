package io.deltaplane.metadata.table;

import jakarta.validation.constraints.NotBlank;
import java.nio.file.Path;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Where tables live when a create request names no location ({@code deltaplane.warehouse.root},
 * env {@code DELTAPLANE_WAREHOUSE_DIR}): {@code <root>/<catalog>/<schema>/<table>}.
 *
 * @param root the warehouse directory, made absolute against the working directory
 */
@Validated
@ConfigurationProperties("deltaplane.warehouse")
public record WarehouseProperties(
        @NotBlank @DefaultValue(".platform/warehouse") String root) {

    public WarehouseProperties {
        if (root != null && !root.isBlank()) {
            root = Path.of(root).toAbsolutePath().normalize().toString();
        }
    }

    public Path rootPath() {
        return Path.of(root);
    }
}
