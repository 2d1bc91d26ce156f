/**
 * Unity Catalog's functions: definitions (parameters, return type, body, language) a caller
 * registers in a schema and engines read back to run. The platform stores and serves them, never
 * runs them. {@link io.deltaplane.metadata.functions.FunctionService} decides who may create, see
 * and drop one; {@link io.deltaplane.metadata.functions.FunctionRepository} is the one writer of
 * {@code functions}.
 */
package io.deltaplane.metadata.functions;
