/**
 * Unity Catalog's registered models and model versions (MLflow's UC model registry): a model is a
 * securable in a schema, with a directory the catalog places; each version gets the next number and
 * its own directory inside the model's, where MLflow writes the artifacts before it finalizes the
 * version (PENDING_REGISTRATION, then READY). {@link
 * io.deltaplane.metadata.models.RegisteredModelService} and {@link
 * io.deltaplane.metadata.models.ModelVersionService} decide who may do what; {@link
 * io.deltaplane.metadata.models.RegisteredModelRepository} is the one writer of {@code
 * registered_models}, {@link io.deltaplane.metadata.models.ModelVersionRepository} of {@code
 * model_versions}.
 */
package io.deltaplane.metadata.models;
