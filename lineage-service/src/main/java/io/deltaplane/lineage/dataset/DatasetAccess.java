package io.deltaplane.lineage.dataset;

import static java.util.Objects.requireNonNull;

import io.deltaplane.support.access.AccessControl;
import io.deltaplane.support.access.Privilege;
import io.deltaplane.support.access.Securable;
import io.deltaplane.support.names.Names;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;

/**
 * Grants on the datasets lineage names: a dataset named {@code catalog.schema.table} is a
 * Deltaplane table and is read with SELECT (or MODIFY) on it and written with MODIFY; any other
 * dataset (a path, an OpenLineage name of another system) is no securable and is left to the key's
 * scope. Lineage graphs show tables the caller may not see redacted ({@link #visibility}).
 */
@Component
public class DatasetAccess {

    private static final Pattern PART = Pattern.compile(Names.PART_RULE);

    private final AccessControl access;

    public DatasetAccess(AccessControl access) {
        this.access = requireNonNull(access, "access");
    }

    /** The Deltaplane table a dataset name is, if it is one. */
    static Optional<Securable> table(String datasetName) {
        if (datasetName == null) {
            return Optional.empty();
        }
        String[] parts = datasetName.split("\\.", -1);
        if (parts.length != 3) {
            return Optional.empty();
        }
        for (String part : parts) {
            if (!PART.matcher(part).matches()) {
                return Optional.empty();
            }
        }
        return Optional.of(Securable.table(parts[0], parts[1], parts[2]));
    }

    /** 403 unless the caller may read the table this dataset is (nothing for other datasets). */
    public void requireRead(String datasetName) {
        table(datasetName).ifPresent(t -> access.requireAny(t, Privilege.SELECT, Privilege.MODIFY));
    }

    /** 403 unless the caller may write the table this dataset is (nothing for other datasets). */
    public void requireWrite(String datasetName) {
        table(datasetName).ifPresent(t -> access.require(t, Privilege.MODIFY));
    }

    /**
     * 403 unless the caller may write every Deltaplane table an OpenLineage event names among its
     * outputs (what the event records as written); anything malformed is left to the event's own
     * validation.
     */
    public void requireWriteOutputs(JsonNode event) {
        JsonNode outputs = event.path("outputs");
        if (!outputs.isArray()) {
            return; // an object's members are not datasets: the event is refused as invalid
        }
        for (JsonNode output : outputs) {
            JsonNode name = output.path("name");
            if (name.isString()) {
                requireWrite(name.asString());
            }
        }
    }

    /** Which dataset names the caller may see, decided once per name (every one, for readers of all). */
    public Predicate<String> visibility() {
        if (access.allows(Securable.metastore(), Privilege.USE_CATALOG)
                && access.allows(Securable.metastore(), Privilege.USE_SCHEMA)
                && access.allows(Securable.metastore(), Privilege.SELECT)) {
            return name -> true;
        }
        return name -> table(name)
                .map(t -> access.allows(t, Privilege.SELECT) || access.allows(t, Privilege.MODIFY))
                .orElse(true);
    }
}
