/**
 * Grants on catalogs, schemas and tables in Unity Catalog's API shape ({@code
 * /api/2.1/unity-catalog/permissions} and {@code .../effective-permissions}), over the support
 * library's {@link io.deltaplane.support.access.GrantStore}. Who may do what is decided everywhere
 * by {@link io.deltaplane.support.access.AccessControl}; the API's controller is the door's ({@code
 * io.deltaplane.metadata.api.grants}, module {@code metadata/door-api}). This package only lets owners and holders
 * of {@code MANAGE} change it, and forgets the grants of what is dropped ({@link
 * io.deltaplane.metadata.grants.DroppedSecurables}).
 */
package io.deltaplane.metadata.grants;
