package io.deltaplane.metadata.snapshot;

import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** {@code GET /api/v1/tables/{full_name}/snapshot/signed-files}: live files with read URLs. */
@Schema(description = "One page of the live files at a version, each with a short-lived read URL")
public record SignedFilesPage(
        @Schema(description = "The version listed (the page token pins it)")
        long version,

        @Schema(description = "When this page's URLs stop working")
        Instant expiresAt,

        List<SignedFile> files,

        @Schema(description = "The next page's token; null on the last page")
        String nextPageToken) {

    /** One live data file and the URL that reads it (GET only) until {@code expires_at}. */
    @Schema(description = "A live data file: its add action's fields and a signed read URL")
    public record SignedFile(
            @Schema(description = "The add action's path, as in the Delta log")
            String path,

            @Schema(
                    description = "A presigned S3 GET or an Azure blob SAS URL; null for a file outside"
                            + " the table's location, which the platform does not sign",
                    nullable = true)
            String url,

            long size,
            Map<String, String> partitionValues,

            @Schema(description = "The add action's stats JSON, if any", nullable = true)
            String stats,

            @Schema(
                    description = "The add action's deletion vector, if any: the rows of the file that are deleted",
                    nullable = true)
            DeletionVector deletionVector,

            @Schema(
                    description = "A signed read URL of the file the deletion vector is stored in (storage type u"
                            + " or p), valid as long as the file's; null for an inline vector or none",
                    nullable = true)
            String deletionVectorUrl) {}

    /** A Delta deletion vector descriptor, as the add action has it. */
    @Schema(description = "A Delta deletion vector descriptor (Delta's deletionVector, in snake case)")
    public record DeletionVector(
            @Schema(
                    description = "u: a file next to the table's data, named by a prefix and a Z85 UUID; i: inline;"
                            + " p: an absolute path")
            String storageType,

            @Schema(description = "The prefix and encoded UUID (u), the Z85-encoded vector (i) or the path (p)")
            String pathOrInlineDv,

            @Schema(description = "Where the vector starts in its file (u, p)", nullable = true)
            Integer offset,

            int sizeInBytes,

            @Schema(description = "Rows the vector deletes") long cardinality) {}
}
