package io.deltaplane.metadata.icebergmetadata;

/**
 * A table uses something Iceberg's metadata cannot express (a Delta feature or type without an
 * Iceberg equivalent): the table is not served to Iceberg readers rather than served wrong.
 */
public final class IcebergUnsupported extends RuntimeException {

    IcebergUnsupported(String what) {
        super("Iceberg readers cannot read this table: it uses " + what + ", which Iceberg metadata cannot express.");
    }
}
