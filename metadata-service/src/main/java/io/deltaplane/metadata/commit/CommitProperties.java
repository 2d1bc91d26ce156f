package io.deltaplane.metadata.commit;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Commit settings ({@code deltaplane.metadata.commit.*}).
 *
 * @param fastPath write plain commits (no metaData/protocol) with one statement against the cached
 *     table state; off, every commit takes the general path (a switch for diagnosis and A/B runs)
 */
@ConfigurationProperties("deltaplane.metadata.commit")
public record CommitProperties(@DefaultValue("true") boolean fastPath) {}
