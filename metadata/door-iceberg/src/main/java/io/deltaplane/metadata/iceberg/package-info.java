/**
 * The Iceberg REST catalog door, where Unity Catalog serves its own ({@code
 * /api/2.1/unity-catalog/iceberg}): a catalog is a warehouse, a schema a namespace, every table an
 * Iceberg table whose metadata {@code icebergmetadata} makes from its Delta log. A door: it maps
 * Iceberg's routes onto the application layer ({@code catalog}, {@code table.api}, {@code
 * credentials}, {@code icebergmetadata}), which decides who may see what; it holds no repository,
 * SQL, storage or authorization of its own (ModuleStructureTest), and no other package depends on
 * it. Errors are Iceberg's {@code ErrorModel} ({@code UnityCatalogErrors}).
 */
package io.deltaplane.metadata.iceberg;
