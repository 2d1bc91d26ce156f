package io.deltaplane.metadata.imports;

import static java.util.Objects.requireNonNull;

import io.deltaplane.metadata.table.api.TableResponse;
import io.deltaplane.support.access.AccessControl;
import io.deltaplane.support.access.Privilege;
import io.deltaplane.support.access.Securable;
import io.deltaplane.support.names.Names;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/** {@code POST /api/v1/tables/import}: adopt an existing Delta table. */
@RestController
public class ImportController {

    private final TableImporter importer;
    private final AccessControl access;

    public ImportController(TableImporter importer, AccessControl access) {
        this.importer = requireNonNull(importer, "importer");
        this.access = requireNonNull(access, "access");
    }

    @PostMapping("/api/v1/tables/import")
    @ResponseStatus(HttpStatus.CREATED)
    public TableResponse importTable(@RequestBody ImportTableRequest request) {
        // Adopting a table creates one: CREATE_TABLE on the schema; the caller owns it.
        access.require(
                Securable.schema(
                        Names.part("catalog", request.catalogName()), Names.part("schema", request.schemaName())),
                Privilege.CREATE_TABLE);
        TableResponse imported = importer.importTable(request);
        access.makeCallerOwner(Securable.table(imported.fullName()));
        return imported;
    }
}
