package io.deltaplane.metadata.grants;

import static java.util.Objects.requireNonNull;

import io.deltaplane.metadata.locations.ExternalLocationService;
import io.deltaplane.metadata.storagecredentials.StorageCredentialService;
import io.deltaplane.support.access.AccessControl;
import io.deltaplane.support.access.Caller;
import io.deltaplane.support.access.GrantStore;
import io.deltaplane.support.access.Holdings;
import io.deltaplane.support.access.PrincipalStore;
import io.deltaplane.support.access.Privilege;
import io.deltaplane.support.access.Securable;
import io.deltaplane.support.access.SecurableType;
import io.deltaplane.support.problem.ApiException;
import io.deltaplane.support.problem.ErrorCode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * The privileges granted on a securable, changes to them, and what a principal effectively holds
 * there with where each privilege comes from (Unity Catalog's grants API, served by
 * the door module's {@code api.grants.PermissionsController}). Reading or changing the grants of a securable needs ownership of it (or
 * of one it is inside) or {@code MANAGE}; anyone may ask what they themselves hold.
 */
@Service
public class PermissionsService {

    /** One principal's privileges on the securable. */
    public record PrivilegeAssignment(String principal, List<Privilege> privileges) {}

    public record PermissionsList(List<PrivilegeAssignment> privilegeAssignments) {}

    /** One principal's grant changes: privileges to add and to remove. */
    public record PermissionsChange(String principal, List<String> add, List<String> remove) {}

    public record UpdatePermissions(List<PermissionsChange> changes) {}

    /** A privilege a principal holds and the securable it was granted on (or that it owns). */
    public record EffectivePrivilege(Privilege privilege, String inheritedFromType, String inheritedFromName) {}

    public record EffectivePrivilegeAssignment(String principal, List<EffectivePrivilege> privileges) {}

    public record EffectivePermissionsList(List<EffectivePrivilegeAssignment> privilegeAssignments) {}

    private final AccessControl access;
    private final GrantStore grants;
    private final PrincipalStore principals;
    private final Securables securables;
    private final StorageCredentialService credentials;

    public PermissionsService(
            AccessControl access,
            GrantStore grants,
            PrincipalStore principals,
            Securables securables,
            StorageCredentialService credentials) {
        this.access = requireNonNull(access, "access");
        this.grants = requireNonNull(grants, "grants");
        this.principals = requireNonNull(principals, "principals");
        this.securables = requireNonNull(securables, "securables");
        this.credentials = requireNonNull(credentials, "credentials");
    }

    /** Anyone who may see the securable may see its grants; changing them needs MANAGE. */
    public PermissionsList permissions(Securable securable, String principal) {
        switch (securable.type()) {
            case METASTORE -> {}
            case CATALOG -> access.require(securable, Privilege.USE_CATALOG);
            case SCHEMA -> access.require(securable, Privilege.USE_SCHEMA);
            case TABLE -> access.requireAny(securable, Privilege.SELECT, Privilege.MODIFY);
            case EXTERNAL_LOCATION -> access.requireAny(securable, ExternalLocationService.READERS);
            case VOLUME -> access.requireAny(securable, Privilege.READ_VOLUME, Privilege.WRITE_VOLUME);
            case FUNCTION, REGISTERED_MODEL -> access.require(securable, Privilege.EXECUTE);
            case CREDENTIAL -> credentials.requireReader(securable);
        }
        securables.requireExists(securable);
        return list(securable, principal);
    }

    /** The most changes one permissions update takes. */
    static final int MAX_CHANGES = 1000;

    /** Adds and removes privileges, all changes in one transaction; answers the grants after it. */
    @Transactional
    public PermissionsList update(Securable securable, UpdatePermissions request) {
        access.requireManage(securable);
        securables.requireExists(securable);
        if (request == null || request.changes() == null || request.changes().isEmpty()) {
            throw ApiException.badRequest(ErrorCode.VALIDATION_FAILED, "changes: at least one change is required.");
        }
        if (request.changes().size() > MAX_CHANGES) {
            // each change is a few statements in one transaction: thousands would hold grants locked
            // past any client's timeout
            throw ApiException.badRequest(
                    ErrorCode.VALIDATION_FAILED,
                    "changes: at most " + MAX_CHANGES + " per request, got "
                            + request.changes().size() + ".");
        }
        for (PermissionsChange change : request.changes()) {
            if (change == null || change.principal() == null) {
                throw ApiException.badRequest(ErrorCode.VALIDATION_FAILED, "changes[].principal is required.");
            }
            principals.get(change.principal());
            for (Privilege privilege : privileges(change.add(), securable)) {
                grants.grant(securable, change.principal(), privilege);
            }
            for (Privilege privilege : privileges(change.remove(), securable)) {
                grants.revoke(securable, change.principal(), privilege);
            }
        }
        access.invalidate();
        return list(securable, null);
    }

    /**
     * What {@code principal} (default: the caller) holds on the securable, each privilege with the
     * securable it comes from; ownership shows as every privilege, inherited from what is owned.
     * About oneself, it answers from one's grants alone, whether or not the securable exists.
     */
    public EffectivePermissionsList effective(Securable securable, String principal) {
        Caller caller = access.caller();
        String whom = principal == null || principal.isBlank() ? caller.principal() : principal;
        if (!whom.equals(caller.principal())) {
            // another principal's privileges are the securable's managers' business; asking about
            // one's own says nothing about whether the securable exists (no 404 for it)
            access.requireManage(securable);
            securables.requireExists(securable);
            principals.get(whom);
        }
        Holdings held = access.holdings(new Caller(whom, principals.identitiesOf(whom)), securable);
        List<EffectivePrivilege> effective = new ArrayList<>();
        List<Securable> outermostFirst = new ArrayList<>(securable.withAncestors());
        java.util.Collections.reverse(outermostFirst);
        for (Securable level : outermostFirst) {
            if (held.owned().contains(level.type())) {
                for (Privilege privilege : Privilege.values()) {
                    effective.add(new EffectivePrivilege(privilege, level.type().wireName(), level.fullName()));
                }
            }
            for (Privilege privilege : held.granted().getOrDefault(level.type(), Set.of())) {
                effective.add(new EffectivePrivilege(privilege, level.type().wireName(), level.fullName()));
            }
        }
        return new EffectivePermissionsList(List.of(new EffectivePrivilegeAssignment(whom, effective)));
    }

    private PermissionsList list(Securable securable, String principal) {
        List<PrivilegeAssignment> assignments = new ArrayList<>();
        for (Map.Entry<String, Set<Privilege>> entry :
                grants.grantsOn(securable).entrySet()) {
            if (principal == null || principal.equals(entry.getKey())) {
                assignments.add(new PrivilegeAssignment(entry.getKey(), List.copyOf(entry.getValue())));
            }
        }
        return new PermissionsList(assignments);
    }

    /** Parsed privileges that mean something on this securable's type (400 otherwise). */
    private static List<Privilege> privileges(List<String> names, Securable securable) {
        if (names == null) {
            return List.of();
        }
        List<Privilege> parsed = new ArrayList<>();
        for (String name : names) {
            Privilege privilege;
            try {
                privilege = Privilege.fromWire(name);
            } catch (IllegalArgumentException e) {
                throw ApiException.badRequest(ErrorCode.VALIDATION_FAILED, e.getMessage() + ".");
            }
            if (!grantableOn(privilege, securable.type())) {
                throw ApiException.badRequest(
                        ErrorCode.VALIDATION_FAILED,
                        privilege + " cannot be granted on a "
                                + securable.type().wireName() + ".");
            }
            parsed.add(privilege);
        }
        return parsed;
    }

    /**
     * As in UC: a privilege is granted on its own level or any level above it (then inherited); at
     * the leaves of a schema, each on its own kind (SELECT on a table, READ_VOLUME on a volume,
     * EXECUTE on a function or a registered model), MANAGE and ALL_PRIVILEGES on any. On a storage
     * credential, only CREATE_EXTERNAL_LOCATION (name it in a location), MANAGE and ALL_PRIVILEGES.
     */
    static boolean grantableOn(Privilege privilege, SecurableType type) {
        if (type == SecurableType.CREDENTIAL) {
            return switch (privilege) {
                case CREATE_EXTERNAL_LOCATION, MANAGE, ALL_PRIVILEGES -> true;
                default -> false;
            };
        }
        if (type == SecurableType.EXTERNAL_LOCATION) {
            return switch (privilege) {
                case CREATE_EXTERNAL_TABLE, CREATE_EXTERNAL_VOLUME, CREATE_MANAGED_STORAGE, MANAGE, ALL_PRIVILEGES ->
                    true;
                default -> false;
            };
        }
        SecurableType lowest = switch (privilege) {
            case CREATE_CATALOG,
                    CREATE_INGEST_MAPPING,
                    CREATE_EXTERNAL_LOCATION,
                    CREATE_STORAGE_CREDENTIAL,
                    CREATE_EXTERNAL_TABLE,
                    CREATE_EXTERNAL_VOLUME,
                    CREATE_MANAGED_STORAGE -> SecurableType.METASTORE;
            case USE_CATALOG, CREATE_SCHEMA -> SecurableType.CATALOG;
            case USE_SCHEMA, CREATE_TABLE, CREATE_VOLUME, CREATE_FUNCTION, CREATE_MODEL -> SecurableType.SCHEMA;
            case SELECT, MODIFY -> SecurableType.TABLE;
            case READ_VOLUME, WRITE_VOLUME -> SecurableType.VOLUME;
            // a function's, or a registered model's (the two leaves it means something on)
            case EXECUTE -> type == SecurableType.REGISTERED_MODEL ? type : SecurableType.FUNCTION;
            case MANAGE, ALL_PRIVILEGES -> type;
        };
        if (type.depth() == lowest.depth()) {
            return type == lowest;
        }
        return type.depth() < lowest.depth();
    }
}
