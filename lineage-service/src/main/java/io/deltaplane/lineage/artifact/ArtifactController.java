package io.deltaplane.lineage.artifact;

import static java.util.Objects.requireNonNull;

import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.parameters.RequestBody;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import org.springframework.core.io.InputStreamResource;
import org.springframework.core.io.Resource;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code PUT/GET /api/v1/datasets/{bucket}/{object…}}. The body is read straight from the servlet
 * stream (this path is exempt from the body-size limit in application.yml), never bound by Spring.
 * The OpenAPI annotations bind nothing: they only tell the contract about that body and the 201.
 */
@RestController
public class ArtifactController {

    private final ArtifactService artifacts;

    public ArtifactController(ArtifactService artifacts) {
        this.artifacts = requireNonNull(artifacts, "artifacts");
    }

    @PutMapping("/api/v1/datasets/{bucket}/{*object}")
    @RequestBody(
            required = true,
            description = "The artifact's bytes, streamed to storage as they arrive (any size). Any Content-Type"
                    + " is accepted and kept (served back on download); without one it is application/octet-stream.",
            content =
                    @Content(
                            mediaType = MediaType.APPLICATION_OCTET_STREAM_VALUE,
                            schema = @Schema(types = "string", format = "binary")))
    @ApiResponse(
            responseCode = "201",
            description = "Stored (replacing any artifact at this path): its URI, size and SHA-256",
            content =
                    @Content(
                            mediaType = MediaType.APPLICATION_JSON_VALUE,
                            schema = @Schema(implementation = ArtifactService.Uploaded.class)))
    public ResponseEntity<ArtifactService.Uploaded> upload(
            @PathVariable String bucket, @PathVariable String object, HttpServletRequest request) throws IOException {
        ArtifactPath path = ArtifactPath.of(bucket, object);
        String contentType = storedContentType(request.getContentType());
        return ResponseEntity.status(HttpStatus.CREATED)
                .body(artifacts.upload(path, request.getInputStream(), contentType));
    }

    /**
     * The type served back on download: the upload's own, or octet-stream when it sent none or a
     * wildcard ({@code *}{@code /*} cannot be a response's Content-Type).
     */
    private static String storedContentType(String given) {
        if (given == null || given.isBlank()) {
            return MediaType.APPLICATION_OCTET_STREAM_VALUE;
        }
        MediaType type = MediaType.parseMediaType(given);
        return type.isConcrete() ? type.toString() : MediaType.APPLICATION_OCTET_STREAM_VALUE;
    }

    @GetMapping("/api/v1/datasets/{bucket}/{*object}")
    @ApiResponse(
            responseCode = "200",
            description = "The artifact's bytes, with the Content-Type it was uploaded with; ETag and X-Content-SHA256"
                    + " carry their SHA-256",
            content =
                    @Content(
                            mediaType = MediaType.APPLICATION_OCTET_STREAM_VALUE,
                            schema = @Schema(types = "string", format = "binary")))
    public ResponseEntity<Resource> download(@PathVariable String bucket, @PathVariable String object) {
        ArtifactService.Download download = artifacts.download(ArtifactPath.of(bucket, object));
        ArtifactRepository.Artifact artifact = download.artifact();
        return ResponseEntity.ok()
                .contentType(MediaType.parseMediaType(artifact.contentType()))
                .contentLength(download.size())
                .eTag("\"" + artifact.sha256() + "\"")
                .header("X-Content-SHA256", artifact.sha256())
                .header(HttpHeaders.CACHE_CONTROL, "no-cache")
                // Uploaded bytes are never rendered by a browser as the platform's own page (stored XSS):
                // always a download, never content-sniffed into another type.
                .header(
                        HttpHeaders.CONTENT_DISPOSITION,
                        ContentDisposition.attachment()
                                .filename(fileName(object), java.nio.charset.StandardCharsets.UTF_8)
                                .build()
                                .toString())
                .header("X-Content-Type-Options", "nosniff")
                .body(new InputStreamResource(download.stream()));
    }

    private static String fileName(String object) {
        String name = object.substring(object.lastIndexOf('/') + 1);
        return name.isEmpty() ? "artifact" : name;
    }
}
