package io.deltaplane.metadata.names;

import io.deltaplane.support.access.Securable;
import io.deltaplane.support.names.Names;

/** A function's three-part name, checked once where a request names it. */
public record FunctionName(String catalog, String schema, String name) {

    /** Each part a valid name part (400 {@code INVALID_NAME} otherwise). */
    public static FunctionName of(String catalog, String schema, String name) {
        return new FunctionName(
                Names.part("catalog", catalog), Names.part("schema", schema), Names.part("function", name));
    }

    /** {@code catalog.schema.function} (400 when it is not three valid parts). */
    public static FunctionName parse(String fullName) {
        String[] parts = Names.split(fullName, 3, "function");
        return new FunctionName(parts[0], parts[1], parts[2]);
    }

    /** The schema the function is in. */
    public SchemaName schemaName() {
        return new SchemaName(catalog, schema);
    }

    public Securable securable() {
        return Securable.function(catalog, schema, name);
    }

    @Override
    public String toString() {
        return catalog + "." + schema + "." + name;
    }
}
