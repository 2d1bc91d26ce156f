package io.deltaplane.metadata.names;

import io.deltaplane.support.access.Securable;
import io.deltaplane.support.names.Names;

/** A table's three-part name, checked once where a request names it. */
public record TableName(String catalog, String schema, String name) {

    /** Each part a valid name part (400 {@code INVALID_NAME} otherwise). */
    public static TableName of(String catalog, String schema, String name) {
        return new TableName(Names.part("catalog", catalog), Names.part("schema", schema), Names.part("table", name));
    }

    /** {@code catalog.schema.table} (400 when it is not three valid parts). */
    public static TableName parse(String fullName) {
        String[] parts = Names.split(fullName, 3, "table");
        return new TableName(parts[0], parts[1], parts[2]);
    }

    /** The schema the table is in. */
    public SchemaName schemaName() {
        return new SchemaName(catalog, schema);
    }

    public Securable securable() {
        return Securable.table(catalog, schema, name);
    }

    @Override
    public String toString() {
        return catalog + "." + schema + "." + name;
    }
}
