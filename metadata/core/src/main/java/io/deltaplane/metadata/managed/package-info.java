/**
 * Catalog-managed tables (the Delta protocol's {@code catalogManaged} feature): the state and the
 * one commit entry shared by every door that takes an engine's staged commits — Unity Catalog's
 * Delta REST {@code add-commit}, delta-spark's legacy {@code /delta/preview/commits}, and the staged
 * parts of {@code /api/v1/transactions}. No package here depends on the Unity Catalog adapter
 * ({@code unity}); the adapter and {@code maintenance} depend on this one, which stands on {@code
 * commit}, {@code publish} and {@code table}. {@link io.deltaplane.metadata.managed.CatalogManagedCreation}
 * stages and finalizes catalog-managed tables (version 0 read from the table's log, or, for a table
 * registered by its columns, written by {@link io.deltaplane.metadata.managed.CatalogManagedVersionZero});
 * {@link io.deltaplane.metadata.managed.CatalogManagedTableService} loads them; {@link
 * io.deltaplane.metadata.managed.CatalogManagedConversion} makes an existing table one (for {@code
 * /api/v1}'s {@code api.managed.CatalogManagedController}).
 *
 * <p>How a staged commit becomes a version:
 *
 * <ol>
 *   <li>{@link io.deltaplane.metadata.managed.StagedCommitRatifier#ratify} offers it to the commit
 *       pipeline as a {@code CommitIntent.Ratify}, which decides the version: the next one (a retry
 *       of a version that landed from the same file is answered as done; another file for a taken
 *       version is a 409, answered only once the winner's {@code <v>.json} is published, since
 *       Kernel rebases onto published files alone).
 *   <li>{@link io.deltaplane.metadata.managed.StagedCommitFiles#read} reads the engine's staged file
 *       <em>once</em>, only when it is the next version, (a regular file of this table, no link anywhere below the table's location),
 *       decodes it as strict UTF-8 JSON lines and checks what a catalog must
 *       ({@link io.deltaplane.metadata.managed.StagedCommitRules}: In-Commit Timestamps strictly
 *       increasing and not beyond now plus the allowed skew; the table's UC id and In-Commit
 *       Timestamps kept).
 *   <li>Those bytes are validated as Delta actions and written by the same {@code CommitWriter} as
 *       every commit, and recorded with the version in {@code catalog_commits.content} by
 *       {@link io.deltaplane.metadata.managed.CatalogManagedTables}, in one transaction.
 *   <li>The publisher ({@code publish}) writes {@code <v>.json} from the stored bytes under its
 *       lease before the engine is answered ({@code commit.DeltaLogPublication}); the reconciler
 *       compares and re-publishes from the same bytes. The staged file is never read again: the
 *       engine may rewrite or delete it, and what the catalog ratified is what the log says.
 * </ol>
 */
package io.deltaplane.metadata.managed;
