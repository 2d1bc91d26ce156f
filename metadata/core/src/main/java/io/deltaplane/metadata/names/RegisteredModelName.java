package io.deltaplane.metadata.names;

import io.deltaplane.support.access.Securable;
import io.deltaplane.support.names.Names;

/** A registered model's three-part name, checked once where a request names it. */
public record RegisteredModelName(String catalog, String schema, String name) {

    /** Each part a valid name part (400 {@code INVALID_NAME} otherwise). */
    public static RegisteredModelName of(String catalog, String schema, String name) {
        return new RegisteredModelName(
                Names.part("catalog", catalog), Names.part("schema", schema), Names.part("model", name));
    }

    /** {@code catalog.schema.model} (400 when it is not three valid parts). */
    public static RegisteredModelName parse(String fullName) {
        String[] parts = Names.split(fullName, 3, "model");
        return new RegisteredModelName(parts[0], parts[1], parts[2]);
    }

    /** The schema the model is in. */
    public SchemaName schemaName() {
        return new SchemaName(catalog, schema);
    }

    /** The same model under another name in its schema. */
    public RegisteredModelName renamed(String newName) {
        return new RegisteredModelName(catalog, schema, Names.part("model", newName));
    }

    public Securable securable() {
        return Securable.registeredModel(catalog, schema, name);
    }

    @Override
    public String toString() {
        return catalog + "." + schema + "." + name;
    }
}
