package io.deltaplane.metadata.api.snapshot;

import static java.util.Objects.requireNonNull;

import io.deltaplane.metadata.names.TableName;
import io.deltaplane.metadata.snapshot.SignedFiles;
import io.deltaplane.metadata.snapshot.SignedFilesPage;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** {@code …/snapshot/signed-files}: each live file with a short-lived signed read URL ({@link SignedFiles}). */
@RestController
@RequestMapping("/api/v1/tables/{fullName}")
public class SignedFilesController {

    private final SignedFiles signedFiles;

    SignedFilesController(SignedFiles signedFiles) {
        this.signedFiles = requireNonNull(signedFiles, "signedFiles");
    }

    /** One page of the live files, ordered by path, each with a signed read URL. */
    @GetMapping("/snapshot/signed-files")
    public SignedFilesPage signedFiles(
            @PathVariable String fullName,
            @RequestParam(required = false) Long version,
            @RequestParam(required = false) String timestamp,
            @RequestParam(name = "max_results", required = false) Integer maxResults,
            @RequestParam(name = "page_token", required = false) String pageToken,
            @RequestParam(name = "valid_for_seconds", required = false) Long validForSeconds) {
        return signedFiles.page(TableName.parse(fullName), version, timestamp, maxResults, pageToken, validForSeconds);
    }
}
