package io.deltaplane.metadata.health;

import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

/**
 * {@code GET /api/v1/tables/{full_name}/health}: whether the table is fresh, what it was expected to
 * be and how that expectation was set, and the volume its data commits carried day by day.
 */
public record TableHealth(
        String table,

        @Schema(
                description = "FRESH, LATE (its last data commit is older than the expectation allows) or UNKNOWN"
                        + " (no expectation: none declared and too little history to learn one)",
                allowableValues = {"FRESH", "LATE", "UNKNOWN"})
        String status,

        @Schema(description = "when the health was computed")
        Instant evaluatedAt,

        @Schema(description = "the newest version that added or removed data; null when none has")
        Long lastDataVersion,

        @Schema(description = "when it was committed; null when the table has no data commit")
        Instant lastDataCommitAt,

        @Schema(description = "seconds since the last data commit (since the table was made, when it has none)")
        long stalenessSeconds,

        Freshness freshness,

        Volume volume,

        @Schema(
                description = "the open incident this table is in: its own (it is the root), or the one of a late"
                        + " table upstream that lists it as affected; null when it is in none")
        InIncident incident) {

    /** The table with the open incident it is in, if any. */
    TableHealth in(InIncident incident) {
        return new TableHealth(
                table,
                status,
                evaluatedAt,
                lastDataVersion,
                lastDataCommitAt,
                stalenessSeconds,
                freshness,
                volume,
                incident);
    }

    /**
     * The open incident a table is in. A table affected by the incident of an upstream table the
     * caller may not read learns only that: {@code id}, {@code root}, {@code path} and {@code cause}
     * are null.
     */
    @Schema(name = "TableIncident")
    public record InIncident(
            @Schema(description = "the incident; null when the caller may not read its table")
            java.util.UUID id,

            @Schema(
                    description = "ROOT: the table's own incident; AFFECTED: an upstream table's, whose lateness"
                            + " explains this one's",
                    allowableValues = {"ROOT", "AFFECTED"})
            String role,

            @Schema(description = "the incident's table (the root late table); null when the caller may not read it")
            String root,

            @Schema(description = "when AFFECTED, the lineage path from the root to this table; else null")
            String path,

            @Schema(description = "the incident's cause, as the incident names it; null when none is known")
            String cause) {

        static final String ROOT = "ROOT";
        static final String AFFECTED = "AFFECTED";
    }

    /** The expectation the status was judged by. */
    @Schema(name = "TableFreshness")
    public record Freshness(
            @Schema(
                    description = "declared (deltaplane.freshness.sla), learned (from the commit history) or none",
                    allowableValues = {"declared", "learned", "none"})
            String source,

            @Schema(description = "where the declared SLA is set: table, schema or catalog; null unless declared")
            String declaredOn,

            @Schema(description = "the declared value as set, e.g. 'interval 2 hours'; null unless declared")
            String sla,

            @Schema(
                    description =
                            "how long the table may go without a data commit now; null when there is no expectation")
            Long allowedSilenceSeconds,

            @Schema(
                    description = "how a learned expectation was learned: weekly_pattern (the same moment of the week"
                            + " in past weeks) or usual_interval (the 90th percentile of the intervals between"
                            + " commits); null unless learned")
            String basis,

            @Schema(description = "what history shows for this moment before the tolerance; null unless learned")
            Long usualSilenceSeconds,

            @Schema(description = "the median interval between data commits in the history read; null below 2 commits")
            Long usualIntervalSeconds,

            @Schema(description = "the weeks a weekly pattern was read from")
            int weeks,

            @Schema(description = "data commits in the history read (the last 29 days up to the last data commit)")
            int historyCommits) {}

    /** The data commits' volume per UTC day, and the last complete day judged against the usual. */
    @Schema(name = "TableVolume")
    public record Volume(List<Day> days, Anomaly anomaly) {}

    /** One UTC day's data commits and what their adds and removes carried. */
    @Schema(name = "TableVolumeDay")
    public record Day(
            LocalDate day,
            long commits,
            long filesAdded,

            @Schema(description = "the adds' numRecords (files without statistics add none)")
            long rowsAdded,

            long bytesAdded,
            long filesRemoved,
            long bytesRemoved,

            @Schema(description = "commits that removed more bytes than they added (reported, not an error)")
            long commitsRemovingMore) {}

    /** A day whose rows added fell far below the usual; null when none did. */
    @Schema(name = "VolumeAnomaly")
    public record Anomaly(
            LocalDate day,
            long rowsAdded,

            @Schema(description = "the median rows added on the days compared")
            long usualRowsAdded,

            @Schema(description = "the days it was compared with")
            String comparedWith) {}
}
