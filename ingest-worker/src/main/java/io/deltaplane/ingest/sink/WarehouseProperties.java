package io.deltaplane.ingest.sink;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * Where ingested rows land: a local DuckDB file path, or {@code md:<database>} for MotherDuck (the
 * token is read from {@code MOTHERDUCK_TOKEN} when connecting and never stored or logged).
 */
@Validated
@ConfigurationProperties("deltaplane.warehouse")
public record WarehouseProperties(
        @NotBlank @Pattern(regexp = "md:[A-Za-z0-9_]*|[^:?]+", message = "a file path or md:<database>")
        String duckdb) {

    public boolean motherDuck() {
        return duckdb.startsWith("md:");
    }
}
