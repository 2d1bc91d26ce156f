/**
 * Typed names of the securables a request names — {@link io.deltaplane.metadata.names.SchemaName},
 * {@link io.deltaplane.metadata.names.TableName} — parsed and checked once at the door, then passed
 * whole, never split or joined again. A leaf: it depends on nothing else of metadata-service.
 */
package io.deltaplane.metadata.names;
