package io.deltaplane.gateway.routing;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * The services the gateway routes to ({@code deltaplane.gateway.backends.*}; URLs from
 * {@code DELTAPLANE_METADATA_URL}, {@code DELTAPLANE_LINEAGE_URL}, {@code DELTAPLANE_INGEST_URL}).
 */
@Validated
@ConfigurationProperties("deltaplane.gateway.backends")
public record BackendProperties(
        @NotNull @Valid Backend metadata,
        @NotNull @Valid Backend lineage,
        @NotNull @Valid Backend ingest) {

    public static final String METADATA = "metadata";
    public static final String LINEAGE = "lineage";
    public static final String INGEST = "ingest";

    /** Every backend by its name, in a stable order. */
    public Map<String, Backend> byName() {
        Map<String, Backend> all = new LinkedHashMap<>();
        all.put(METADATA, metadata);
        all.put(LINEAGE, lineage);
        all.put(INGEST, ingest);
        return all;
    }
}
