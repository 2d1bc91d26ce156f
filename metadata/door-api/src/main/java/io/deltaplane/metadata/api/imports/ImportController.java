package io.deltaplane.metadata.api.imports;

import static java.util.Objects.requireNonNull;

import io.deltaplane.metadata.api.table.TableResponse;
import io.deltaplane.metadata.imports.ImportTableRequest;
import io.deltaplane.metadata.imports.TableImporter;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/** {@code POST /api/v1/tables/import}: adopt an existing Delta table, answered in {@code /api/v1}'s shape. */
@RestController
public class ImportController {

    private final TableImporter importer;

    public ImportController(TableImporter importer) {
        this.importer = requireNonNull(importer, "importer");
    }

    /** Adopting a table creates one: CREATE_TABLE on the schema; the caller owns it. */
    @PostMapping("/api/v1/tables/import")
    @ResponseStatus(HttpStatus.CREATED)
    public TableResponse importTable(@RequestBody ImportTableRequest request) {
        return TableResponse.of(importer.importTable(request));
    }
}
