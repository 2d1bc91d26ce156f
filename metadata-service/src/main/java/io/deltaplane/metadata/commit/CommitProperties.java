package io.deltaplane.metadata.commit;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Commit settings ({@code deltaplane.metadata.commit.*}).
 *
 * @param fastPath validate plain commits (no metaData/protocol) against the table state cached from
 *     the previous commit instead of reading the table first; off, every commit reads it (a switch
 *     for diagnosis and A/B runs)
 */
@ConfigurationProperties("deltaplane.metadata.commit")
public record CommitProperties(@DefaultValue("true") boolean fastPath) {}
