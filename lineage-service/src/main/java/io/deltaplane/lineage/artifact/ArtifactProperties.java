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
 */
@Validated
@ConfigurationProperties("deltaplane.artifacts")
public record ArtifactProperties(@NotNull Path dir) {}
