package io.deltaplane.metadata.unity;

import static java.util.Objects.requireNonNull;

import io.deltaplane.metadata.unity.delta.DeltaRestModels.DeltaStagingTableResponse;
import io.deltaplane.metadata.unity.delta.DeltaRestService;
import io.deltaplane.support.access.AccessControl;
import io.deltaplane.support.access.Privilege;
import io.deltaplane.support.access.Securable;
import io.deltaplane.support.names.Names;
import java.util.UUID;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * Unity Catalog's {@code POST /staging-tables}: the same staging as the Delta REST API's, in UC's
 * shape, for clients that create catalog-managed tables through {@code POST /tables} (Kernel over
 * delta-spark 4.0–4.2's client). Needs CREATE_TABLE on the schema.
 */
@RestController
public class UnityStagingController {

    public record CreateStagingTable(String name, String catalogName, String schemaName) {}

    public record StagingTableInfo(
            UUID id, String name, String catalogName, String schemaName, String stagingLocation) {}

    private final DeltaRestService service;
    private final AccessControl access;

    public UnityStagingController(DeltaRestService service, AccessControl access) {
        this.service = requireNonNull(service, "service");
        this.access = requireNonNull(access, "access");
    }

    @PostMapping(UnityCatalogApi.BASE + "/staging-tables")
    public StagingTableInfo stage(@RequestBody CreateStagingTable request) {
        String catalog = Names.part("catalog", request.catalogName());
        String schema = Names.part("schema", request.schemaName());
        access.require(Securable.schema(catalog, schema), Privilege.CREATE_TABLE);
        String name = Names.part("table", request.name());
        DeltaStagingTableResponse staged =
                service.stage(catalog, schema, name, access.caller().principal());
        return new StagingTableInfo(staged.tableId(), name, catalog, schema, staged.location());
    }
}
