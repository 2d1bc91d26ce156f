package io.deltaplane.metadata.api.managed;

import static java.util.Objects.requireNonNull;

import io.deltaplane.metadata.managed.CatalogManagedConversion;
import io.deltaplane.metadata.managed.CatalogManagedConversion.Converted;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/** {@code /api/v1/tables/{full_name}/catalog-managed}: makes a table catalog-managed ({@link CatalogManagedConversion}). */
@RestController
@Tag(name = "catalog-managed-conversion") // the contract's tag, which the generated clients' API classes are named by
public class CatalogManagedController {

    static final String PATH = "/api/v1/tables/{fullName}/catalog-managed";

    private final CatalogManagedConversion conversion;

    public CatalogManagedController(CatalogManagedConversion conversion) {
        this.conversion = requireNonNull(conversion, "conversion");
    }

    @PostMapping(PATH)
    @ResponseStatus(HttpStatus.CREATED)
    public Converted convert(@PathVariable String fullName) {
        return conversion.convert(fullName);
    }

    /** Refused: the Delta protocol has no way back. */
    @DeleteMapping(PATH)
    public void revert(@PathVariable String fullName) {
        conversion.revert(fullName);
    }
}
