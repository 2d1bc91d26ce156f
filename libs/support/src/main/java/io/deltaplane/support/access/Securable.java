package io.deltaplane.support.access;

import static java.util.Objects.requireNonNull;

import io.deltaplane.support.names.Names;
import io.deltaplane.support.problem.ApiException;
import io.deltaplane.support.problem.ErrorCode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Something privileges are granted on: the metastore, a catalog {@code c}, a schema {@code c.s}
 * or a table {@code c.s.t}. Names are validated as the catalog API validates them, and folded to
 * lower case as it folds them.
 */
public record Securable(SecurableType type, String fullName) {

    static final String METASTORE_NAME = "metastore";

    public Securable {
        requireNonNull(type, "type");
        // Names are case-insensitive (Names.part folds them): a securable built from a name as a
        // caller spelled it still meets the grants made on it.
        fullName = requireNonNull(fullName, "fullName").toLowerCase(Locale.ROOT);
    }

    public static Securable metastore() {
        return new Securable(SecurableType.METASTORE, METASTORE_NAME);
    }

    public static Securable catalog(String catalog) {
        return new Securable(SecurableType.CATALOG, catalog);
    }

    public static Securable schema(String catalog, String schema) {
        return new Securable(SecurableType.SCHEMA, catalog + "." + schema);
    }

    public static Securable table(String catalog, String schema, String table) {
        return new Securable(SecurableType.TABLE, catalog + "." + schema + "." + table);
    }

    public static Securable volume(String catalog, String schema, String volume) {
        return new Securable(SecurableType.VOLUME, catalog + "." + schema + "." + volume);
    }

    public static Securable function(String catalog, String schema, String function) {
        return new Securable(SecurableType.FUNCTION, catalog + "." + schema + "." + function);
    }

    public static Securable registeredModel(String catalog, String schema, String model) {
        return new Securable(SecurableType.REGISTERED_MODEL, catalog + "." + schema + "." + model);
    }

    public static Securable externalLocation(String name) {
        return new Securable(SecurableType.EXTERNAL_LOCATION, name);
    }

    /** A storage credential, directly under the metastore (outside the namespace). */
    public static Securable credential(String name) {
        return new Securable(SecurableType.CREDENTIAL, name);
    }

    /** A table by its full name {@code c.s.t} (400 INVALID_NAME when it is not one). */
    public static Securable table(String fullName) {
        String[] parts = Names.split(fullName, 3, "table");
        return table(parts[0], parts[1], parts[2]);
    }

    /** A securable named as UC names it in a path: {@code (catalog, "c")}, {@code (table, "c.s.t")}. */
    public static Securable parse(String type, String fullName) {
        SecurableType parsed;
        try {
            parsed = SecurableType.fromWire(type);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest(ErrorCode.VALIDATION_FAILED, e.getMessage() + ".");
        }
        if (parsed == SecurableType.METASTORE) {
            return metastore();
        }
        String[] parts = Names.split(fullName, parsed.depth(), parsed.wireName());
        return new Securable(parsed, String.join(".", parts));
    }

    /** The securable this one is inside (a table's schema, ...); the metastore has none. */
    public Securable parent() {
        return switch (type) {
            case METASTORE -> throw new IllegalStateException("the metastore has no parent");
            case CATALOG, EXTERNAL_LOCATION, CREDENTIAL -> metastore();
            default ->
                new Securable(
                        SecurableType.ofDepth(type.depth() - 1), fullName.substring(0, fullName.lastIndexOf('.')));
        };
    }

    /** This securable and every one it is inside, innermost first, ending with the metastore. */
    public List<Securable> withAncestors() {
        List<Securable> chain = new ArrayList<>(4);
        Securable at = this;
        chain.add(at);
        while (at.type != SecurableType.METASTORE) {
            at = at.parent();
            chain.add(at);
        }
        return chain;
    }

    /** The catalog part of the name (the metastore has none). */
    public String catalog() {
        int dot = fullName.indexOf('.');
        return dot < 0 ? fullName : fullName.substring(0, dot);
    }

    @Override
    public String toString() {
        return type.wireName() + " " + fullName;
    }
}
