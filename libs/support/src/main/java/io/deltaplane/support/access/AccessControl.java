package io.deltaplane.support.access;

import static java.util.Objects.requireNonNull;

import io.deltaplane.support.problem.ApiException;
import io.deltaplane.support.problem.ErrorCode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;

/**
 * The one place every service asks "may the caller do this to that securable?" (Unity Catalog's
 * model): a privilege granted on a securable holds on everything inside it; the owner of a
 * securable, or of one it is inside, holds every privilege there; the metastore's owner group
 * ({@link PrincipalStore#METASTORE_ADMINS}) therefore holds every privilege everywhere. Touching
 * anything inside a catalog also needs {@code USE_CATALOG} on it, and inside a schema {@code
 * USE_SCHEMA}. A refusal is a 403 problem naming the privilege; it is decided before the
 * securable is looked up, so it says nothing about whether it exists.
 *
 * <p>Decisions are cached per principal and securable for {@link #CACHE_TTL}: a grant or revoke
 * made through another service takes effect within it (at once in the service that made it).
 */
public class AccessControl {

    /**
     * Request attribute naming the securable the request was last authorized on (or made the
     * caller own): what the audit trail records the request against.
     */
    public static final String SECURABLE_ATTRIBUTE = AccessControl.class.getName() + ".securable";

    public static final Duration CACHE_TTL = Duration.ofMillis(1000);

    private final CurrentPrincipal current;
    private final PrincipalStore principals;
    private final GrantStore grants;
    private final Clock clock;
    private final Map<HoldingsKey, CachedHoldings> cache = new ConcurrentHashMap<>();

    public AccessControl(CurrentPrincipal current, PrincipalStore principals, GrantStore grants, Clock clock) {
        this.current = requireNonNull(current, "current");
        this.principals = requireNonNull(principals, "principals");
        this.grants = requireNonNull(grants, "grants");
        this.clock = requireNonNull(clock, "clock");
    }

    /**
     * The caller of the current request (403 outside an authenticated one): its principal, every
     * group that principal is in, and — for a single sign-on token — every group here the token
     * names (with the groups those are in), for this request only.
     */
    public Caller caller() {
        String principal = current.name()
                .orElseThrow(() -> new ApiException(ErrorCode.FORBIDDEN, "This request acts for no principal."));
        return caller(principal, current.claimedGroups());
    }

    /** {@code principal} acting with the groups a credential claims for it besides its memberships. */
    public Caller caller(String principal, Set<String> claimedGroups) {
        Set<String> identities = principals.identitiesOf(principal);
        Set<String> claimed = principals.identitiesOfGroups(claimedGroups);
        if (!claimed.isEmpty()) {
            Set<String> all = new java.util.HashSet<>(identities);
            all.addAll(claimed);
            identities = all;
        }
        return new Caller(principal, identities);
    }

    /**
     * Throws 403 unless the caller holds {@code privilege} on {@code securable}, with the {@code
     * USE_CATALOG} / {@code USE_SCHEMA} needed to reach it.
     */
    public void require(Securable securable, Privilege privilege) {
        remember(securable);
        Caller caller = caller();
        Holdings held = holdings(caller, securable);
        Optional<String> missing = missing(held, securable, privilege);
        if (missing.isPresent()) {
            throw new ApiException(
                    ErrorCode.FORBIDDEN, "Principal '" + caller.principal() + "' lacks " + missing.get() + ".");
        }
    }

    /** 403 unless the caller holds at least one of {@code privileges} on {@code securable}. */
    public void requireAny(Securable securable, Privilege... privileges) {
        remember(securable);
        Caller caller = caller();
        Holdings held = holdings(caller, securable);
        Optional<String> missing = Optional.empty();
        for (Privilege privilege : privileges) {
            missing = missing(held, securable, privilege);
            if (missing.isEmpty()) {
                return;
            }
        }
        throw new ApiException(
                ErrorCode.FORBIDDEN, "Principal '" + caller.principal() + "' lacks " + missing.orElseThrow() + ".");
    }

    /** Whether the caller may do it (as {@link #require}, without throwing). */
    public boolean allows(Securable securable, Privilege privilege) {
        return missing(holdings(caller(), securable), securable, privilege).isEmpty();
    }

    /**
     * Whether {@code principal} (with its memberships, no token groups) may do it: for work done on
     * a principal's behalf outside its requests, such as a notification it subscribed to.
     */
    public boolean allows(String principal, Securable securable, Privilege privilege) {
        return missing(holdings(caller(principal, Set.of()), securable), securable, privilege)
                .isEmpty();
    }

    /** 403 unless the caller owns the securable (or one it is inside) or holds {@code MANAGE} on it. */
    public void requireManage(Securable securable) {
        require(securable, Privilege.MANAGE);
    }

    /**
     * Whether the caller owns {@code securable} itself or holds {@code privilege} granted on it
     * itself — not through the metastore: Unity Catalog's rule where one privilege means two things
     * (CREATE_EXTERNAL_LOCATION on the metastore registers locations; on a storage credential, it
     * lets them name that credential, and the first does not grant the second).
     */
    public boolean holdsItself(Securable securable, Privilege privilege) {
        Holdings held = holdings(caller(), securable);
        return held.owned().contains(securable.type())
                || held.granted().getOrDefault(securable.type(), Set.of()).stream()
                        .anyMatch(p -> p.covers(privilege));
    }

    /** Whether {@code principal} is a metastore admin (a member of the metastore's owner group). */
    public boolean isMetastoreAdmin(String principal) {
        return isMetastoreAdmin(new Caller(principal, principals.identitiesOf(principal)));
    }

    /** Whether {@code caller} is a metastore admin (one of its identities is in the metastore's owner group). */
    public boolean isMetastoreAdmin(Caller caller) {
        return holdings(caller, Securable.metastore()).metastoreAdmin();
    }

    /** 403 unless the caller is a metastore admin. */
    public void requireMetastoreAdmin() {
        Caller caller = caller();
        if (!holdings(caller, Securable.metastore()).metastoreAdmin()) {
            throw new ApiException(
                    ErrorCode.FORBIDDEN, "Principal '" + caller.principal() + "' is not a metastore admin.");
        }
    }

    /**
     * Which children of {@code parent} the caller may see in a listing: empty when it may see all
     * of them (it holds {@code privilege} on the parent), else the full names of the children on
     * which it holds {@code privilege} (or, for tables, any privilege) or which it owns.
     */
    public Optional<Set<String>> visibleChildren(Securable parent, SecurableType childType, Privilege privilege) {
        return visibleChildrenOf(parent, childType, privilege);
    }

    /**
     * {@link #visibleChildren} as a listing statement filters: the children's own names (the last
     * part of each full name), or null when the caller may see them all.
     */
    public String[] visibleChildNames(Securable parent, SecurableType childType, Privilege privilege) {
        return visibleChildrenOf(parent, childType, privilege)
                .map(names -> names.stream()
                        .map(name -> name.substring(name.lastIndexOf('.') + 1))
                        .toArray(String[]::new))
                .orElse(null);
    }

    private Optional<Set<String>> visibleChildrenOf(Securable parent, SecurableType childType, Privilege privilege) {
        Caller caller = caller();
        Holdings held = holdings(caller, parent);
        if (held.holds(parent.type(), privilege)) {
            return Optional.empty();
        }
        Set<Privilege> enough = switch (childType) {
            case TABLE -> Set.of(Privilege.SELECT, Privilege.MODIFY, Privilege.MANAGE, Privilege.ALL_PRIVILEGES);
            case VOLUME ->
                Set.of(Privilege.READ_VOLUME, Privilege.WRITE_VOLUME, Privilege.MANAGE, Privilege.ALL_PRIVILEGES);
            case FUNCTION, REGISTERED_MODEL -> Set.of(Privilege.EXECUTE, Privilege.MANAGE, Privilege.ALL_PRIVILEGES);
            case EXTERNAL_LOCATION ->
                Set.of(
                        Privilege.CREATE_EXTERNAL_TABLE,
                        Privilege.CREATE_EXTERNAL_VOLUME,
                        Privilege.CREATE_MANAGED_STORAGE,
                        Privilege.MANAGE,
                        Privilege.ALL_PRIVILEGES);
            case CREDENTIAL -> Set.of(Privilege.CREATE_EXTERNAL_LOCATION, Privilege.MANAGE, Privilege.ALL_PRIVILEGES);
            default -> Set.of(privilege, Privilege.ALL_PRIVILEGES);
        };
        return Optional.of(grants.childrenHeld(parent, childType, caller.identities(), enough));
    }

    /** Makes the caller the owner of a securable it just created (and forgets cached decisions). */
    public void makeCallerOwner(Securable securable) {
        remember(securable);
        grants.setOwner(securable, caller().principal());
        invalidate();
    }

    /**
     * Makes {@code owner} (a principal or group that exists, else 404 PRINCIPAL_NOT_FOUND) the owner
     * of the securable: the caller must own it (or one it is inside), hold MANAGE on it, or be a
     * metastore admin. The previous owner keeps only what it was granted.
     */
    public void transferOwnership(Securable securable, String owner) {
        requireManage(securable);
        principals.get(owner);
        grants.setOwner(securable, owner);
        invalidate();
    }

    /** Forgets cached decisions (after a grant, revoke or ownership change made in this process). */
    public void invalidate() {
        cache.clear();
        principals.invalidate();
    }

    /** What the caller holds on the securable and the ones it is inside (cached). */
    public Holdings holdings(Caller caller, Securable securable) {
        Instant now = clock.instant();
        // By identities, not principal: a single sign-on caller's token groups are its own per request.
        HoldingsKey key = new HoldingsKey(caller.identities(), securable);
        CachedHoldings cached = cache.get(key);
        if (cached == null || cached.expiresAt().isBefore(now)) {
            cached = new CachedHoldings(grants.heldOn(securable, caller.identities()), now.plus(CACHE_TTL));
            if (cache.size() > 50_000) {
                cache.clear(); // bounded: many principals times many tables must not grow memory
            }
            cache.put(key, cached);
        }
        return cached.holdings();
    }

    private static void remember(Securable securable) {
        if (RequestContextHolder.getRequestAttributes() instanceof ServletRequestAttributes request) {
            request.getRequest().setAttribute(SECURABLE_ATTRIBUTE, securable);
        }
    }

    /** The first thing the caller lacks for {@code privilege} on {@code securable}, if any. */
    static Optional<String> missing(Holdings held, Securable securable, Privilege privilege) {
        SecurableType type = securable.type();
        if (type.inNamespace()
                && type.depth() >= SecurableType.CATALOG.depth()
                && !(type == SecurableType.CATALOG && privilege == Privilege.USE_CATALOG)
                && !held.holds(SecurableType.CATALOG, Privilege.USE_CATALOG)) {
            return Optional.of("USE_CATALOG on catalog " + securable.catalog());
        }
        if (type.depth() >= SecurableType.SCHEMA.depth()
                && !(type == SecurableType.SCHEMA && privilege == Privilege.USE_SCHEMA)
                && !held.holds(SecurableType.SCHEMA, Privilege.USE_SCHEMA)) {
            return Optional.of("USE_SCHEMA on schema " + schemaOf(securable));
        }
        if (!held.holds(type, privilege)) {
            return Optional.of(privilege.name() + " on " + securable);
        }
        return Optional.empty();
    }

    private static String schemaOf(Securable securable) {
        return securable.type() == SecurableType.SCHEMA
                ? securable.fullName()
                : securable.parent().fullName();
    }

    private record HoldingsKey(Set<String> identities, Securable securable) {}

    private record CachedHoldings(Holdings holdings, Instant expiresAt) {}
}
