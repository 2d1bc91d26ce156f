package io.deltaplane.support.access;

import static java.util.Objects.requireNonNull;

import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Grants and owners ({@code platform.grants}, {@code platform.owners}): the one writer of both, and
 * the reads the access decisions are made from. Securables are stored by UC type and full name;
 * dropping a securable forgets its grants and owners and those of everything inside it, so a table
 * created later under the same name starts with none.
 */
public class GrantStore {

    static final String GRANT = "INSERT INTO platform.grants (securable_type, securable_name, principal, privilege)"
            + " VALUES (:type, :name, :principal, :privilege) ON CONFLICT DO NOTHING";
    static final String REVOKE = "DELETE FROM platform.grants WHERE securable_type = :type AND securable_name = :name"
            + " AND principal = :principal AND privilege = :privilege";
    static final String ON_SECURABLE = "SELECT principal, privilege FROM platform.grants"
            + " WHERE securable_type = :type AND securable_name = :name ORDER BY principal, privilege";
    static final String SET_OWNER = "INSERT INTO platform.owners (securable_type, securable_name, owner)"
            + " VALUES (:type, :name, :owner) ON CONFLICT (securable_type, securable_name) DO UPDATE SET owner = EXCLUDED.owner";
    static final String OWNER =
            "SELECT owner FROM platform.owners WHERE securable_type = :type AND securable_name = :name";

    /** Grants and ownership held by any of {@code :ids} on the securables {@code (:types[i], :names[i])}. */
    static final String HELD_ON = """
            SELECT g.securable_type, g.privilege FROM platform.grants g
              JOIN unnest(CAST(:types AS text[]), CAST(:names AS text[])) AS s(t, n)
                ON g.securable_type = s.t AND g.securable_name = s.n
             WHERE g.principal = ANY(CAST(:ids AS text[]))
            UNION ALL
            SELECT o.securable_type, 'OWNER' FROM platform.owners o
              JOIN unnest(CAST(:types AS text[]), CAST(:names AS text[])) AS s(t, n)
                ON o.securable_type = s.t AND o.securable_name = s.n
             WHERE o.owner = ANY(CAST(:ids AS text[]))""";

    /** Children of {@code :prefix} of one type on which any of {@code :ids} holds one of {@code :privileges} or owns. */
    static final String CHILDREN_HELD = """
            SELECT securable_name FROM platform.grants
             WHERE securable_type = :type AND starts_with(securable_name, :prefix)
               AND principal = ANY(CAST(:ids AS text[])) AND privilege = ANY(CAST(:privileges AS text[]))
            UNION
            SELECT securable_name FROM platform.owners
             WHERE securable_type = :type AND starts_with(securable_name, :prefix) AND owner = ANY(CAST(:ids AS text[]))""";

    // :prefix is null for a securable outside the namespace (an external location, a credential): it
    // holds nothing, and a catalog of the same name is not inside it.
    static final String FORGET_GRANTS =
            "DELETE FROM platform.grants WHERE (securable_type = :type AND securable_name = :name)"
                    + " OR starts_with(securable_name, CAST(:prefix AS text))";
    static final String FORGET_OWNERS =
            "DELETE FROM platform.owners WHERE (securable_type = :type AND securable_name = :name)"
                    + " OR starts_with(securable_name, CAST(:prefix AS text))";

    static final String RENAME_GRANTS = "UPDATE platform.grants SET securable_name = :to"
            + " WHERE securable_type = :type AND securable_name = :name";
    static final String RENAME_OWNER = "UPDATE platform.owners SET securable_name = :to"
            + " WHERE securable_type = :type AND securable_name = :name";

    private final JdbcClient jdbc;

    public GrantStore(JdbcClient jdbc) {
        this.jdbc = requireNonNull(jdbc, "jdbc");
    }

    public void grant(Securable securable, String principal, Privilege privilege) {
        jdbc.sql(GRANT)
                .param("type", securable.type().wireName())
                .param("name", securable.fullName())
                .param("principal", principal)
                .param("privilege", privilege.name())
                .update();
    }

    public void revoke(Securable securable, String principal, Privilege privilege) {
        jdbc.sql(REVOKE)
                .param("type", securable.type().wireName())
                .param("name", securable.fullName())
                .param("principal", principal)
                .param("privilege", privilege.name())
                .update();
    }

    /** The privileges granted directly on a securable, by principal (sorted). */
    public Map<String, Set<Privilege>> grantsOn(Securable securable) {
        Map<String, Set<Privilege>> byPrincipal = new TreeMap<>();
        jdbc.sql(ON_SECURABLE)
                .param("type", securable.type().wireName())
                .param("name", securable.fullName())
                .query((rs, n) -> byPrincipal
                        .computeIfAbsent(rs.getString(1), p -> new TreeSet<>())
                        .add(Privilege.fromWire(rs.getString(2))))
                .list();
        return byPrincipal;
    }

    public void setOwner(Securable securable, String owner) {
        jdbc.sql(SET_OWNER)
                .param("type", securable.type().wireName())
                .param("name", securable.fullName())
                .param("owner", owner)
                .update();
    }

    public Optional<String> owner(Securable securable) {
        return jdbc.sql(OWNER)
                .param("type", securable.type().wireName())
                .param("name", securable.fullName())
                .query(String.class)
                .optional();
    }

    /**
     * What {@code identities} hold on {@code securable} and each securable it is inside: per level,
     * the privileges granted there and whether one of them owns it.
     */
    public Holdings heldOn(Securable securable, Set<String> identities) {
        List<Securable> chain = securable.withAncestors();
        Map<SecurableType, Set<Privilege>> granted = new LinkedHashMap<>();
        Set<SecurableType> owned = EnumSet.noneOf(SecurableType.class);
        jdbc.sql(HELD_ON)
                .param("types", chain.stream().map(s -> s.type().wireName()).toArray(String[]::new))
                .param("names", chain.stream().map(Securable::fullName).toArray(String[]::new))
                .param("ids", identities.toArray(String[]::new))
                .query((rs, n) -> {
                    SecurableType level = SecurableType.fromWire(rs.getString(1));
                    String held = rs.getString(2);
                    if ("OWNER".equals(held)) {
                        owned.add(level);
                    } else {
                        granted.computeIfAbsent(level, l -> EnumSet.noneOf(Privilege.class))
                                .add(Privilege.fromWire(held));
                    }
                    return held;
                })
                .list();
        return new Holdings(securable, granted, owned);
    }

    /**
     * The children of {@code parent} of type {@code childType} on which {@code identities} hold one
     * of {@code privileges} directly or which they own (full names).
     */
    public Set<String> childrenHeld(
            Securable parent, SecurableType childType, Set<String> identities, Set<Privilege> privileges) {
        String prefix = parent.type() == SecurableType.METASTORE ? "" : parent.fullName() + ".";
        return new TreeSet<>(jdbc.sql(CHILDREN_HELD)
                .param("type", childType.wireName())
                .param("prefix", prefix)
                .param("ids", identities.toArray(String[]::new))
                .param("privileges", privileges.stream().map(Privilege::name).toArray(String[]::new))
                .query(String.class)
                .list());
    }

    /** The grants and owner of a renamed leaf securable (a volume, a function) follow it to {@code newFullName}. */
    public void rename(Securable securable, String newFullName) {
        for (String sql : List.of(RENAME_GRANTS, RENAME_OWNER)) {
            jdbc.sql(sql)
                    .param("type", securable.type().wireName())
                    .param("name", securable.fullName())
                    .param("to", newFullName)
                    .update();
        }
    }

    /** Forgets the grants and owner of a dropped securable and of everything inside it. */
    public void forget(Securable securable) {
        for (String sql : List.of(FORGET_GRANTS, FORGET_OWNERS)) {
            jdbc.sql(sql)
                    .param("type", securable.type().wireName())
                    .param("name", securable.fullName())
                    .param("prefix", securable.type().inNamespace() ? securable.fullName() + "." : null)
                    .update();
        }
    }
}
