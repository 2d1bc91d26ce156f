package io.deltaplane.metadata.api.datafile;

import static java.util.Objects.requireNonNull;

import io.deltaplane.metadata.datafile.DataFileUploads;
import io.deltaplane.support.access.AccessControl;
import io.deltaplane.support.access.Privilege;
import io.deltaplane.support.access.Securable;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.parameters.RequestBody;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code PUT /api/v1/tables/{full_name}/data/{path}}: a data file's bytes into the table's location
 * (MODIFY on the table), streamed from the raw request (this path is exempt from the body-size
 * limit); commit its {@code add} afterwards. The OpenAPI annotations bind nothing.
 */
@RestController
public class DataFileController {

    private final DataFileUploads uploads;
    private final AccessControl access;

    public DataFileController(DataFileUploads uploads, AccessControl access) {
        this.uploads = requireNonNull(uploads, "uploads");
        this.access = requireNonNull(access, "access");
    }

    @PutMapping("/api/v1/tables/{fullName}/data/{*path}")
    @RequestBody(
            required = true,
            description = "The file's bytes (Parquet), streamed to the table's storage as they arrive",
            content =
                    @Content(
                            mediaType = MediaType.APPLICATION_OCTET_STREAM_VALUE,
                            schema = @Schema(types = "string", format = "binary")))
    @ApiResponse(
            responseCode = "201",
            description = "Stored: its path relative to the table, size and SHA-256 (200: the same bytes were"
                    + " there already)",
            content =
                    @Content(
                            mediaType = MediaType.APPLICATION_JSON_VALUE,
                            schema = @Schema(implementation = DataFileUploads.Uploaded.class)))
    public ResponseEntity<DataFileUploads.Uploaded> upload(
            @PathVariable String fullName, @PathVariable String path, HttpServletRequest request) throws IOException {
        access.require(Securable.table(fullName), Privilege.MODIFY);
        DataFileUploads.Uploaded uploaded = uploads.upload(fullName, path, request.getInputStream());
        return ResponseEntity.status(uploaded.created() ? HttpStatus.CREATED : HttpStatus.OK)
                .body(uploaded);
    }
}
