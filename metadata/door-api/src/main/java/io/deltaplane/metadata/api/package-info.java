/**
 * The platform's own door (module {@code metadata/door-api}): the {@code /api/v1} REST controllers
 * and the records only they use, mapped onto the core's application layer. Nothing depends on this
 * package, and it holds no repository, SQL, storage or transaction ({@code ModuleStructureTest}).
 *
 * <ul>
 *   <li>{@code api.catalog}: {@code /api/v1/catalogs} and {@code /api/v1/schemas} over {@code
 *       catalog.CatalogService} and {@code catalog.SchemaService}.
 *   <li>{@code api.table}: {@code /api/v1/tables} over {@code table.api.TableService}, whose {@code
 *       table.TableEntry}s this door shows as {@code TableResponse}s.
 *   <li>{@code api.imports}: {@code /api/v1/tables/import} over {@code imports.TableImporter}.
 *   <li>{@code api.commit}: {@code /api/v1/tables/{full_name}/commits} and {@code
 *       /api/v1/transactions}; each request becomes a {@code commit.CommitIntent} for {@code
 *       commit.CommitPipeline} ({@code CommitRequest}, {@code TransactionRequest}: the wire shapes).
 *   <li>{@code api.snapshot}: snapshots, files, signed files, history and changes over {@code
 *       snapshot.SnapshotService} and {@code snapshot.SignedFiles} ({@code FilesPage}: the files
 *       page's shape, for the contract only).
 *   <li>{@code api.datafile}: {@code PUT /api/v1/tables/{full_name}/data/{path}} over {@code
 *       datafile.DataFileUploads}.
 *   <li>{@code api.publish}: publish status and on-demand reconcile over {@code
 *       publish.PublishService}.
 *   <li>{@code api.managed}: {@code /api/v1/tables/{full_name}/catalog-managed} over {@code
 *       managed.CatalogManagedConversion}.
 *   <li>{@code api.grants}: the grants API in Unity Catalog's shape ({@code
 *       /api/2.1/unity-catalog/permissions}, {@code .../effective-permissions}), the platform's own
 *       (its CLI, console and clients use it), over {@code grants.PermissionsService}.
 * </ul>
 *
 * <p>The products' {@code /api/v1} controllers (maintenance, data health) live in their own modules.
 */
package io.deltaplane.metadata.api;
