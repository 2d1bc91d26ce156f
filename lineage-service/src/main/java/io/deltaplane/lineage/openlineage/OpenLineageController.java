package io.deltaplane.lineage.openlineage;

import static java.util.Objects.requireNonNull;

import io.deltaplane.lineage.dataset.DatasetAccess;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;

/**
 * {@code POST /api/v1/lineage}: the endpoint OpenLineage's HTTP transport posts to (its default
 * path), so a client configured with this service (or the gateway) as its URL works unchanged. The
 * event is applied as a batch of one ({@link OpenLineageService#accept}); a refused event is its
 * problem (400, 409), and nothing of it is stored.
 */
@RestController
public class OpenLineageController {

    private final OpenLineageService openLineage;
    private final DatasetAccess access;

    public OpenLineageController(OpenLineageService openLineage, DatasetAccess access) {
        this.openLineage = requireNonNull(openLineage, "openLineage");
        this.access = requireNonNull(access, "access");
    }

    @PostMapping("/api/v1/lineage")
    @ApiResponse(
            responseCode = "201",
            description = "Accepted and applied to the run",
            content =
                    @Content(
                            mediaType = MediaType.APPLICATION_JSON_VALUE,
                            schema = @Schema(implementation = OpenLineageService.Accepted.class)))
    public ResponseEntity<OpenLineageService.Accepted> accept(@RequestBody JsonNode event) {
        if (event != null) {
            access.requireWriteOutputs(event);
        }
        return ResponseEntity.status(HttpStatus.CREATED).body(openLineage.accept(event));
    }
}
