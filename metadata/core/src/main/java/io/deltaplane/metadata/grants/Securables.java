package io.deltaplane.metadata.grants;

import static java.util.Objects.requireNonNull;

import io.deltaplane.metadata.catalog.CatalogRepository;
import io.deltaplane.metadata.functions.FunctionService;
import io.deltaplane.metadata.locations.ExternalLocationService;
import io.deltaplane.metadata.models.RegisteredModelService;
import io.deltaplane.metadata.names.FunctionName;
import io.deltaplane.metadata.names.RegisteredModelName;
import io.deltaplane.metadata.names.TableName;
import io.deltaplane.metadata.names.VolumeName;
import io.deltaplane.metadata.storagecredentials.StorageCredentialService;
import io.deltaplane.metadata.table.TableRepository;
import io.deltaplane.metadata.views.ViewService;
import io.deltaplane.metadata.volumes.VolumeService;
import io.deltaplane.support.access.Securable;
import org.springframework.stereotype.Component;

/** Whether a securable exists: 404 with the catalog API's code when it does not. */
@Component
class Securables {

    private final CatalogRepository catalogs;
    private final TableRepository tables;
    private final ExternalLocationService locations;
    private final VolumeService volumes;
    private final ViewService views;
    private final FunctionService functions;
    private final RegisteredModelService models;
    private final StorageCredentialService credentials;

    Securables(
            CatalogRepository catalogs,
            TableRepository tables,
            ExternalLocationService locations,
            VolumeService volumes,
            FunctionService functions,
            ViewService views,
            RegisteredModelService models,
            StorageCredentialService credentials) {
        this.models = requireNonNull(models, "models");
        this.credentials = requireNonNull(credentials, "credentials");
        this.functions = requireNonNull(functions, "functions");
        this.volumes = requireNonNull(volumes, "volumes");
        this.views = requireNonNull(views, "views");
        this.catalogs = requireNonNull(catalogs, "catalogs");
        this.tables = requireNonNull(tables, "tables");
        this.locations = requireNonNull(locations, "locations");
    }

    void requireExists(Securable securable) {
        String[] parts = securable.fullName().split("\\.");
        switch (securable.type()) {
            case METASTORE -> {}
            case CATALOG -> catalogs.catalogEntry(parts[0]);
            case SCHEMA -> catalogs.schemaEntry(parts[0], parts[1]);
            case TABLE -> {
                // a view is a table securable too
                if (!views.exists(TableName.parse(securable.fullName()))) {
                    tables.require(securable.fullName());
                }
            }
            case EXTERNAL_LOCATION -> locations.requireExists(securable.fullName());
            case VOLUME -> volumes.requireExists(VolumeName.parse(securable.fullName()));
            case FUNCTION -> functions.requireExists(FunctionName.parse(securable.fullName()));
            case REGISTERED_MODEL -> models.requireExists(RegisteredModelName.parse(securable.fullName()));
            case CREDENTIAL -> credentials.requireExists(securable.fullName());
        }
    }
}
