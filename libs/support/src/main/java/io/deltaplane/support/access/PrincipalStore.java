package io.deltaplane.support.access;

import static java.util.Objects.requireNonNull;

import io.deltaplane.support.problem.ApiException;
import io.deltaplane.support.problem.ErrorCode;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Principals and group membership ({@code platform.principals}, {@code platform.group_members}):
 * the one writer of both. A principal's identities (itself and every group it is in, through nested
 * groups) are cached for {@link #CACHE_TTL}, so a membership change reaches every service within it.
 */
public class PrincipalStore {

    public static final Duration CACHE_TTL = Duration.ofMillis(1000);

    /** The group that owns the metastore: its members are the metastore admins. */
    public static final String METASTORE_ADMINS = "metastore_admins";

    /** The principal of the operator's bootstrap key ({@code DELTAPLANE_ADMIN_API_KEY}). */
    public static final String BOOTSTRAP_ADMIN = "admin";

    /** The groups that carry the reach of the old key scopes read and write (admin is METASTORE_ADMINS). */
    public static final String LEGACY_READERS = "legacy_readers";

    public static final String LEGACY_WRITERS = "legacy_writers";

    /** Users by e-mail or directory id, workloads by app id, groups by name: no controls, no blanks. */
    static final Pattern NAME = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.@+-]{0,254}");

    static final String INSERT = "INSERT INTO platform.principals (name, type, created_at) VALUES (:name, :type, :at)";
    static final String SELECT = "SELECT name, type, created_at FROM platform.principals ";
    static final String FIND = SELECT + "WHERE name = :name";
    static final String LIST = SELECT + "WHERE name > :after ORDER BY name LIMIT :limit";
    static final String DELETE = "DELETE FROM platform.principals WHERE name = :name";
    static final String ADD_MEMBER = "INSERT INTO platform.group_members (group_name, member) VALUES (:group, :member)"
            + " ON CONFLICT DO NOTHING";
    static final String REMOVE_MEMBER =
            "DELETE FROM platform.group_members WHERE group_name = :group AND member = :member";
    static final String MEMBERS = "SELECT member FROM platform.group_members WHERE group_name = :group ORDER BY member";

    /** The principal and every group it is in, through nested groups (UNION stops at a cycle). */
    static final String IDENTITIES = """
            WITH RECURSIVE ids(name) AS (
              SELECT CAST(:name AS text)
              UNION
              SELECT m.group_name FROM platform.group_members m JOIN ids ON m.member = ids.name)
            SELECT name FROM ids""";

    /**
     * The groups among {@code :names} that exist as groups, and every group those are in (UNION
     * stops at a cycle); a name that is a user or service principal is not one of them.
     */
    static final String GROUP_IDENTITIES = """
            WITH RECURSIVE ids(name) AS (
              SELECT p.name FROM platform.principals p
               WHERE p.type = 'group' AND p.name = ANY(CAST(:names AS text[]))
              UNION
              SELECT m.group_name FROM platform.group_members m JOIN ids ON m.member = ids.name)
            SELECT name FROM ids""";

    /** Groups whose members only the platform's own memberships make: never taken from a token. */
    static final Set<String> BUILT_IN_GROUPS = Set.of(METASTORE_ADMINS, LEGACY_READERS, LEGACY_WRITERS);

    /** Most groups of one credential considered (a token's groups claim can be long). */
    static final int MAX_CLAIMED_GROUPS = 500;

    private final JdbcClient jdbc;
    private final Clock clock;
    private final Map<String, CachedIdentities> identities = new ConcurrentHashMap<>();
    private final Map<Set<String>, CachedIdentities> groupIdentities = new ConcurrentHashMap<>();

    public PrincipalStore(JdbcClient jdbc, Clock clock) {
        this.jdbc = requireNonNull(jdbc, "jdbc");
        this.clock = requireNonNull(clock, "clock");
    }

    /** Creates a principal; 409 ALREADY_EXISTS when the name is taken (by any type). */
    public Principal create(String name, PrincipalType type) {
        String checked = name(name);
        Instant now = clock.instant();
        try {
            jdbc.sql(INSERT)
                    .param("name", checked)
                    .param("type", type.wireName())
                    .param("at", Timestamp.from(now))
                    .update();
        } catch (DuplicateKeyException e) {
            throw ApiException.conflict(
                    ErrorCode.ALREADY_EXISTS, "A principal named '" + checked + "' already exists.");
        }
        return new Principal(checked, type, now);
    }

    public Optional<Principal> find(String name) {
        return jdbc.sql(FIND)
                .param("name", name)
                .query(PrincipalStore::principal)
                .optional();
    }

    /** The principal of this name, or 404 PRINCIPAL_NOT_FOUND. */
    public Principal get(String name) {
        return find(name)
                .orElseThrow(() ->
                        ApiException.notFound(ErrorCode.PRINCIPAL_NOT_FOUND, "No principal named '" + name + "'."));
    }

    /** A page of principals by name after {@code after} ("" for the first). */
    public List<Principal> list(String after, int limit) {
        return jdbc.sql(LIST)
                .param("after", after == null ? "" : after)
                .param("limit", limit)
                .query(PrincipalStore::principal)
                .list();
    }

    /**
     * Deletes a principal with its memberships and grants; 409 while it owns a securable or holds an
     * API key (transfer or revoke those first), 404 when there is none.
     */
    public void delete(String name) {
        get(name);
        if (BOOTSTRAP_ADMIN.equals(name) || METASTORE_ADMINS.equals(name)) {
            throw ApiException.conflict(
                    ErrorCode.PRINCIPAL_IN_USE, "'" + name + "' is built in and cannot be deleted.");
        }
        try {
            jdbc.sql(DELETE).param("name", name).update();
        } catch (DataIntegrityViolationException e) {
            throw ApiException.conflict(
                    ErrorCode.PRINCIPAL_IN_USE,
                    "Principal '" + name
                            + "' still owns a securable or holds an API key; transfer or revoke them first.");
        }
        invalidate();
    }

    /** Puts {@code member} in {@code group} (idempotent); the group must be a group. */
    public void addMember(String group, String member) {
        requireGroup(group);
        get(member);
        if (group.equals(member) || identitiesOf(group).contains(member)) {
            throw ApiException.badRequest(
                    ErrorCode.VALIDATION_FAILED, "'" + member + "' contains '" + group + "': membership would loop.");
        }
        jdbc.sql(ADD_MEMBER).param("group", group).param("member", member).update();
        invalidate();
    }

    /** Takes {@code member} out of {@code group}; true when it was in it. */
    public boolean removeMember(String group, String member) {
        requireGroup(group);
        int removed = jdbc.sql(REMOVE_MEMBER)
                .param("group", group)
                .param("member", member)
                .update();
        invalidate();
        return removed > 0;
    }

    /** The direct members of a group. */
    public List<String> members(String group) {
        requireGroup(group);
        return jdbc.sql(MEMBERS).param("group", group).query(String.class).list();
    }

    /** The principal and every group it belongs to, directly or through other groups (cached). */
    public Set<String> identitiesOf(String principal) {
        Instant now = clock.instant();
        CachedIdentities cached = identities.get(principal);
        if (cached == null || cached.expiresAt().isBefore(now)) {
            Set<String> names = Set.copyOf(jdbc.sql(IDENTITIES)
                    .param("name", principal)
                    .query(String.class)
                    .list());
            cached = new CachedIdentities(names, now.plus(CACHE_TTL));
            if (identities.size() > 10_000) {
                identities.clear();
            }
            identities.put(principal, cached);
        }
        return cached.names();
    }

    /**
     * The identities a set of group names stands for: each name that is a group here, and every
     * group it is in (cached as {@link #identitiesOf}). Names that are not groups here (unknown, or
     * a user or service principal) stand for nothing. For the groups a single sign-on token names.
     */
    public Set<String> identitiesOfGroups(Set<String> groups) {
        if (groups.isEmpty()) {
            return Set.of();
        }
        // The built-in groups are the platform's to fill: a token naming metastore_admins is no admin.
        Set<String> names = groups.stream()
                .filter(g -> !BUILT_IN_GROUPS.contains(g))
                .sorted()
                .limit(MAX_CLAIMED_GROUPS)
                .collect(java.util.stream.Collectors.toUnmodifiableSet());
        if (names.isEmpty()) {
            return Set.of();
        }
        Instant now = clock.instant();
        CachedIdentities cached = groupIdentities.get(names);
        if (cached == null || cached.expiresAt().isBefore(now)) {
            Set<String> found = Set.copyOf(jdbc.sql(GROUP_IDENTITIES)
                    .param("names", names.toArray(String[]::new))
                    .query(String.class)
                    .list());
            cached = new CachedIdentities(found, now.plus(CACHE_TTL));
            if (groupIdentities.size() > 10_000) {
                groupIdentities.clear();
            }
            groupIdentities.put(names, cached);
        }
        return cached.names();
    }

    /** The groups a principal is in (directly or not), without the principal itself. */
    public Set<String> groupsOf(String principal) {
        Set<String> groups = new java.util.TreeSet<>(identitiesOf(principal));
        groups.remove(principal);
        return groups;
    }

    /** Forgets cached identities (after a change made elsewhere in this process). */
    public void invalidate() {
        identities.clear();
        groupIdentities.clear();
    }

    /** A valid principal name, or 400 INVALID_NAME. */
    public static String name(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw ApiException.badRequest(
                    ErrorCode.INVALID_NAME,
                    "A principal name is 1 to 255 letters, digits and _ . @ + - (starting with a letter, digit or _).");
        }
        return name;
    }

    private void requireGroup(String group) {
        if (get(group).type() != PrincipalType.GROUP) {
            throw ApiException.badRequest(ErrorCode.VALIDATION_FAILED, "'" + group + "' is not a group.");
        }
    }

    private static Principal principal(ResultSet rs, int row) throws SQLException {
        return new Principal(
                rs.getString("name"),
                PrincipalType.fromWire(rs.getString("type")),
                rs.getTimestamp("created_at").toInstant());
    }

    private record CachedIdentities(Set<String> names, Instant expiresAt) {}
}
