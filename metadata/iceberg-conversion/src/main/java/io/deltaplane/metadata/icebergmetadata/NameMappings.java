package io.deltaplane.metadata.icebergmetadata;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.apache.iceberg.mapping.MappedField;
import org.apache.iceberg.mapping.MappedFields;
import org.apache.iceberg.mapping.NameMapping;

/** Name mappings that only grow, as Iceberg's own schema updates keep them. */
final class NameMappings {

    private NameMappings() {}

    /**
     * {@code current}, with the names an {@code earlier} mapping gave each of its field ids added,
     * and the fields only the earlier one has (dropped columns) kept: a file written before a rename
     * or a drop is still read by its names.
     */
    static NameMapping keepingEarlier(NameMapping current, NameMapping earlier) {
        return NameMapping.of(merge(current.asMappedFields(), earlier.asMappedFields()));
    }

    private static MappedFields merge(MappedFields current, MappedFields earlier) {
        if (earlier == null) {
            return current;
        }
        if (current == null) {
            return earlier;
        }
        // A name means one field: the current schema's names win over what earlier fields were called.
        Set<String> taken = new LinkedHashSet<>();
        Set<Integer> ids = new LinkedHashSet<>();
        for (MappedField field : current.fields()) {
            taken.addAll(field.names());
            ids.add(field.id());
        }
        List<MappedField> merged = new ArrayList<>();
        for (MappedField field : current.fields()) {
            MappedField before = field.id() == null ? null : earlier.field(field.id());
            if (before == null) {
                merged.add(field);
                continue;
            }
            Set<String> names = new LinkedHashSet<>(field.names());
            before.names().stream().filter(name -> !taken.contains(name)).forEach(names::add);
            taken.addAll(names);
            merged.add(MappedField.of(field.id(), names, merge(field.nestedMapping(), before.nestedMapping())));
        }
        for (MappedField field : earlier.fields()) {
            if (ids.contains(field.id())) {
                continue;
            }
            Set<String> names = new LinkedHashSet<>();
            field.names().stream().filter(name -> !taken.contains(name)).forEach(names::add);
            if (!names.isEmpty()) {
                taken.addAll(names);
                merged.add(MappedField.of(field.id(), names, field.nestedMapping()));
            }
        }
        return MappedFields.of(merged);
    }
}
