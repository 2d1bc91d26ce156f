package io.deltaplane.metadata.names;

import io.deltaplane.support.access.Securable;
import io.deltaplane.support.names.Names;

/** A volume's three-part name, checked once where a request names it. */
public record VolumeName(String catalog, String schema, String name) {

    /** Each part a valid name part (400 {@code INVALID_NAME} otherwise). */
    public static VolumeName of(String catalog, String schema, String name) {
        return new VolumeName(Names.part("catalog", catalog), Names.part("schema", schema), Names.part("volume", name));
    }

    /** {@code catalog.schema.volume} (400 when it is not three valid parts). */
    public static VolumeName parse(String fullName) {
        String[] parts = Names.split(fullName, 3, "volume");
        return new VolumeName(parts[0], parts[1], parts[2]);
    }

    /** The schema the volume is in. */
    public SchemaName schemaName() {
        return new SchemaName(catalog, schema);
    }

    /** The same volume under another name in its schema. */
    public VolumeName renamed(String newName) {
        return new VolumeName(catalog, schema, Names.part("volume", newName));
    }

    public Securable securable() {
        return Securable.volume(catalog, schema, name);
    }

    @Override
    public String toString() {
        return catalog + "." + schema + "." + name;
    }
}
