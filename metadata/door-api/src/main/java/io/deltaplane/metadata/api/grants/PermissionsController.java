package io.deltaplane.metadata.api.grants;

import static java.util.Objects.requireNonNull;

import io.deltaplane.metadata.grants.PermissionsService;
import io.deltaplane.metadata.grants.PermissionsService.EffectivePermissionsList;
import io.deltaplane.metadata.grants.PermissionsService.PermissionsList;
import io.deltaplane.metadata.grants.PermissionsService.UpdatePermissions;
import io.deltaplane.support.access.Securable;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Unity Catalog's grants API over {@link PermissionsService}: read and change the privileges granted
 * on a securable, and what a principal effectively holds there.
 */
@RestController
public class PermissionsController {

    static final String PERMISSIONS = "/api/2.1/unity-catalog/permissions/{securableType}/{fullName}";
    static final String EFFECTIVE = "/api/2.1/unity-catalog/effective-permissions/{securableType}/{fullName}";

    private final PermissionsService permissions;

    public PermissionsController(PermissionsService permissions) {
        this.permissions = requireNonNull(permissions, "permissions");
    }

    /** Anyone who may see the securable may see its grants. */
    @GetMapping(PERMISSIONS)
    public PermissionsList getPermissions(
            @PathVariable String securableType,
            @PathVariable String fullName,
            @RequestParam(required = false) String principal) {
        return permissions.permissions(Securable.parse(securableType, fullName), principal);
    }

    /** Adds and removes privileges, all changes in one transaction; answers the grants after it. */
    @PatchMapping(PERMISSIONS)
    public PermissionsList updatePermissions(
            @PathVariable String securableType, @PathVariable String fullName, @RequestBody UpdatePermissions request) {
        return permissions.update(Securable.parse(securableType, fullName), request);
    }

    /** What {@code principal} (default: the caller) holds on the securable, and where from. */
    @GetMapping(EFFECTIVE)
    public EffectivePermissionsList getEffectivePermissions(
            @PathVariable String securableType,
            @PathVariable String fullName,
            @RequestParam(required = false) String principal) {
        return permissions.effective(Securable.parse(securableType, fullName), principal);
    }
}
