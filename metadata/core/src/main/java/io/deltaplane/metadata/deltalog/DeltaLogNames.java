package io.deltaplane.metadata.deltalog;

import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** File names inside {@code _delta_log}, as the Delta protocol spells them. */
public final class DeltaLogNames {

    public static final String LOG_DIR = "_delta_log";
    public static final String LAST_CHECKPOINT = "_last_checkpoint";

    private static final Pattern COMMIT = Pattern.compile("(\\d{20})\\.json");
    private static final Pattern CHECKPOINT = Pattern.compile("(\\d{20})\\.checkpoint\\.parquet");

    private DeltaLogNames() {}

    /** {@code _delta_log/00000000000000000007.json}, relative to the table root. */
    public static String commitFile(long version) {
        return LOG_DIR + "/" + twentyDigits(version) + ".json";
    }

    /** Where engines stage catalog-managed commits before the catalog ratifies them. */
    public static final String STAGED_COMMITS_DIR = LOG_DIR + "/_staged_commits";

    // <version>.<uuid>.json, as Delta names them: a bounded name (an unbounded one would be a file
    // system error, not a refusal)
    private static final Pattern STAGED_COMMIT = Pattern.compile(
            "(\\d{20})\\.[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\\.json");

    /** {@code _delta_log/_staged_commits/<name>}, relative to the table root. */
    public static String stagedCommit(String fileName) {
        return STAGED_COMMITS_DIR + "/" + fileName;
    }

    /** The version a staged commit's bare file name ({@code <20 digits>.<uuid>.json}) is for. */
    public static OptionalLong stagedCommitVersion(String fileName) {
        Matcher m = STAGED_COMMIT.matcher(fileName);
        return m.matches() ? OptionalLong.of(Long.parseLong(m.group(1))) : OptionalLong.empty();
    }

    public static String checkpointFile(long version) {
        return LOG_DIR + "/" + twentyDigits(version) + ".checkpoint.parquet";
    }

    // String.format parses its pattern on every call: a tenth of the publisher's CPU in a profile.
    private static String twentyDigits(long version) {
        if (version < 0) {
            throw new IllegalArgumentException("a Delta version is not negative: " + version);
        }
        String digits = Long.toString(version);
        return "0".repeat(20 - digits.length()) + digits;
    }

    public static OptionalLong commitVersion(String fileName) {
        return version(COMMIT, fileName);
    }

    public static OptionalLong checkpointVersion(String fileName) {
        return version(CHECKPOINT, fileName);
    }

    private static OptionalLong version(Pattern pattern, String fileName) {
        Matcher m = pattern.matcher(fileName);
        return m.matches() ? OptionalLong.of(Long.parseLong(m.group(1))) : OptionalLong.empty();
    }
}
