package io.deltaplane.metadata.names;

import io.deltaplane.support.access.Securable;
import io.deltaplane.support.names.Names;

/** A schema's name in its catalog, checked once where a request names it. */
public record SchemaName(String catalog, String name) {

    /** {@code catalog} and {@code name}, each a valid name part (400 otherwise). */
    public static SchemaName of(String catalog, String name) {
        return new SchemaName(Names.part("catalog", catalog), Names.part("schema", name));
    }

    /** {@code catalog.schema} (400 when it is not two valid parts). */
    public static SchemaName parse(String fullName) {
        String[] parts = Names.split(fullName, 2, "schema");
        return new SchemaName(parts[0], parts[1]);
    }

    public Securable securable() {
        return Securable.schema(catalog, name);
    }

    @Override
    public String toString() {
        return catalog + "." + name;
    }
}
