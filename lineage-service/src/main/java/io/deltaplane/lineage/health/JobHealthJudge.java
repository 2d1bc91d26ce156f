package io.deltaplane.lineage.health;

import io.deltaplane.lineage.health.JobHealth.LastRun;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A job's health from its recent runs (a pure function: the runs in, the judgement out). The usual
 * duration is the median of its recent completed runs' (3 at least); the usual interval the median
 * between its runs' starts (5 runs at least). Its newest run decides, in this order: running for more
 * than twice the usual duration (and a minute past it) is RUNNING_LONG — for a job whose runs end
 * well before the next starts, not a stream's whose runs last until the next; failed or abandoned is
 * FAILING; otherwise, no run started within one and a half usual intervals (and five minutes) of
 * the last start is OVERDUE. A running run that reports itself stalled or lagging ({@link
 * JobHealth.Progress}) is STALLED or LAGGING, whatever else holds.
 */
final class JobHealthJudge {

    /** Runs read, newest first. */
    static final int RUNS_READ = 50;

    static final int MIN_DURATIONS = 3;
    static final int MIN_RUNS_FOR_INTERVAL = 5;
    static final double LONG_FACTOR = 2.0;
    static final Duration LONG_MARGIN = Duration.ofMinutes(1);
    static final double OVERDUE_FACTOR = 1.5;
    static final Duration OVERDUE_MARGIN = Duration.ofMinutes(5);

    private JobHealthJudge() {}

    /** @param newestFirst the job's runs, newest start first */
    static JobHealth judge(String job, List<LastRun> newestFirst, Instant now) {
        return judge(job, newestFirst, null, now);
    }

    /**
     * @param newestFirst the job's runs, newest start first
     * @param progress what the newest run, while running, last reported of its progress; null for none
     */
    static JobHealth judge(String job, List<LastRun> newestFirst, JobHealth.Progress progress, Instant now) {
        if (newestFirst.isEmpty()) {
            return new JobHealth(job, "UNKNOWN", null, now, null, 0, null, null, null, 0);
        }
        LastRun last = newestFirst.get(0);
        List<Duration> durations = new ArrayList<>();
        for (LastRun r : newestFirst) {
            if ("COMPLETED".equals(r.state()) && r.endedAt() != null) {
                durations.add(Duration.between(r.startedAt(), r.endedAt()));
            }
        }
        Duration usualDuration = durations.size() >= MIN_DURATIONS ? median(durations) : null;
        List<Duration> gaps = new ArrayList<>();
        for (int i = 1; i < newestFirst.size(); i++) {
            gaps.add(Duration.between(
                    newestFirst.get(i).startedAt(), newestFirst.get(i - 1).startedAt()));
        }
        Duration usualInterval = newestFirst.size() >= MIN_RUNS_FOR_INTERVAL ? median(gaps) : null;
        Instant dueBy = usualInterval == null
                ? null
                : last.startedAt().plus(max(scaled(usualInterval, OVERDUE_FACTOR), usualInterval.plus(OVERDUE_MARGIN)));
        int failures = 0;
        while (failures < newestFirst.size() && failed(newestFirst.get(failures))) {
            failures++;
        }

        String status = "HEALTHY";
        String reason = null;
        if ("RUNNING".equals(last.state())) {
            Duration running = Duration.between(last.startedAt(), now);
            String behind = progress == null || progress.lagSeconds() == null
                    ? ""
                    : " (" + human(Duration.ofSeconds(Math.round(progress.lagSeconds()))) + " behind)";
            if (progress != null && "STALLED".equals(progress.standing())) {
                status = "STALLED";
                reason = "run " + last.runId() + " reports it has consumed nothing with input waiting, since "
                        + progress.reportedAt() + behind;
            } else if (progress != null && "LAGGING".equals(progress.standing())) {
                status = "LAGGING";
                reason = "run " + last.runId() + " reports it is behind its input, since " + progress.reportedAt()
                        + behind;
            } else if (batchLike(usualDuration, usualInterval)
                    && running.compareTo(max(scaled(usualDuration, LONG_FACTOR), usualDuration.plus(LONG_MARGIN)))
                            > 0) {
                status = "RUNNING_LONG";
                reason = "run " + last.runId() + " has run " + human(running) + "; its runs usually take "
                        + human(usualDuration);
            }
        } else if (failures > 0) {
            status = "FAILING";
            reason = "its last run " + last.runId() + " " + last.state().toLowerCase(java.util.Locale.ROOT)
                    + (failures > 1 ? " (" + failures + " in a row)" : "");
        } else if (dueBy != null && now.isAfter(dueBy)) {
            status = "OVERDUE";
            reason = "no run since " + last.startedAt() + "; it usually runs every " + human(usualInterval);
        }
        return new JobHealth(
                job,
                status,
                reason,
                now,
                last,
                failures,
                usualDuration == null ? null : usualDuration.toSeconds(),
                usualInterval == null ? null : usualInterval.toSeconds(),
                dueBy,
                newestFirst.size());
    }

    /**
     * Whether its runs end well before the next starts (at most half the interval), as a batch job's
     * do: a stream's runs (an ingest mapping's consumer, say) last until the next one starts, and
     * how long one has run says nothing of its health.
     */
    private static boolean batchLike(Duration usualDuration, Duration usualInterval) {
        return usualDuration != null
                && usualInterval != null
                && usualDuration.compareTo(usualInterval.dividedBy(2)) <= 0;
    }

    private static boolean failed(LastRun r) {
        return "FAILED".equals(r.state()) || "ABANDONED".equals(r.state());
    }

    private static Duration median(List<Duration> values) {
        List<Duration> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return sorted.get(sorted.size() / 2);
    }

    private static Duration scaled(Duration d, double factor) {
        return Duration.ofMillis(Math.round(d.toMillis() * factor));
    }

    private static Duration max(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }

    private static String human(Duration d) {
        return d.toString().substring(2).toLowerCase(java.util.Locale.ROOT);
    }
}
