package io.deltaplane.lineage.artifact;

import jakarta.validation.constraints.NotNull;
import java.nio.file.Path;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * Artifact storage ({@code deltaplane.artifacts.*}).
 *
 * @param dir root directory of the local store ({@code DELTAPLANE_ARTIFACTS_DIR}, default {@code
 *     .platform/artifacts}); created if missing, must be writable
 * @param uri an object store prefix for artifacts instead ({@code DELTAPLANE_ARTIFACTS_URI}: {@code
 *     s3://bucket/prefix}, {@code abfss://container@account.dfs.core.windows.net/prefix}); empty:
 *     the local directory
 */
@Validated
@ConfigurationProperties("deltaplane.artifacts")
public record ArtifactProperties(@NotNull Path dir, String uri) {

    public boolean onObjectStore() {
        return uri != null && !uri.isBlank();
    }
}
