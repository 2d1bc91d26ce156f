/**
 * Unity Catalog's REST API over the platform's one model: the same catalogs, schemas, tables and
 * grants as {@code /api/v1}, in UC's shape (snake_case, epoch-millisecond times, UC's error codes),
 * so UC clients and engines configured for UC work against Deltaplane unchanged. A door: no other
 * package depends on it. Catalog-managed tables and their commits are the core's ({@code
 * managed}); {@code unity.delta} maps the Delta REST API and delta-spark's commits API onto it.
 *
 * <ul>
 *   <li>{@link io.deltaplane.metadata.unity.MetastoreController} — the installation's metastore id.
 *   <li>{@link io.deltaplane.metadata.unity.UnityCatalogsController},
 *       {@link io.deltaplane.metadata.unity.UnitySchemasController},
 *       {@link io.deltaplane.metadata.unity.UnityTablesController} — the securables, each call
 *       authorized by {@link io.deltaplane.support.access.AccessControl} before it reads or writes.
 *   <li>{@link io.deltaplane.metadata.unity.UnityColumns} — Delta's StructType as UC columns and back;
 *       {@code UnityTableInfos} — the core's {@link io.deltaplane.metadata.table.TableEntry} as UC's
 *       {@code TableInfo}, from what the entry holds (no read of its own).
 *   <li>Errors on this surface are in UC's shapes: {@link io.deltaplane.support.http.UnityCatalogErrors}.
 * </ul>
 */
package io.deltaplane.metadata.unity;
