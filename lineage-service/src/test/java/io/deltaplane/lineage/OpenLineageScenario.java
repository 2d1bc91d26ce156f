package io.deltaplane.lineage;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * One copy of a set of OpenLineage events that depend on each other: its own name prefix (its jobs
 * and datasets are {@code <prefix>_…}) and run ids A to E, so two copies sent two ways compare with
 * {@link LineageRows}.
 */
final class OpenLineageScenario {

    final String prefix;
    final Map<String, UUID> runs = new LinkedHashMap<>();

    OpenLineageScenario(String prefix) {
        this.prefix = prefix;
        for (String run : List.of("A", "B", "C", "D", "E")) {
            runs.put(run, UUID.randomUUID());
        }
    }

    String ds(String name) {
        return "{\"namespace\":\"s3://eq\",\"name\":\"" + prefix + "_" + name + "\"}";
    }

    String versioned() {
        return "{\"namespace\":\"default\",\"name\":\"" + prefix + "_ver\"}";
    }

    String event(String type, String run, String job, String inputs, String outputs) {
        return "{\"eventType\":\"" + type + "\",\"eventTime\":\"2026-11-22T10:00:0" + (type.length() % 10)
                + "Z\",\"producer\":\"eq\",\"run\":{\"runId\":\"" + runs.get(run)
                + "\",\"facets\":{\"nominalTime\":{\"nominalStartTime\":\"2026-11-22T10:00:00Z\"}}},"
                + "\"job\":{\"namespace\":\"eq\",\"name\":\"" + prefix + "_" + job + "\"},"
                + "\"inputs\":" + inputs + ",\"outputs\":" + outputs + "}";
    }

    String withColumns(String output) {
        return output.substring(0, output.length() - 1)
                + ",\"facets\":{\"columnLineage\":{\"fields\":{\"total\":{\"inputFields\":["
                + "{\"namespace\":\"s3://eq\",\"name\":\"" + prefix + "_src\",\"field\":\"amount\","
                + "\"transformations\":[{\"type\":\"DIRECT\",\"subtype\":\"AGGREGATION\"}]}]}}},"
                + "\"schema\":{\"fields\":[{\"name\":\"total\",\"type\":\"double\"}]}}}";
    }

    /** Events that depend on the ones before them, all of which a run takes. */
    List<String> events() {
        return List.of(
                event("START", "A", "job1", "[" + ds("src") + "]", "[" + ds("mid") + "," + versioned() + "]"),
                event("START", "B", "job2", "[" + ds("mid") + "]", "[]"),
                event("RUNNING", "A", "job1", "[]", "[" + withColumns(ds("mid")) + "]"),
                event("COMPLETE", "A", "job1", "[]", "[]"),
                event("OTHER", "A", "job1", "[" + ds("late") + "]", "[" + ds("late") + "]"),
                event("COMPLETE", "A", "job1", "[]", "[]"),
                event("START", "C", "job1", "[" + ds("mid") + "]", "[" + ds("mid") + "]"),
                event("RUNNING", "B", "job2", "[" + ds("mid") + "," + versioned() + "]", "[" + ds("out") + "]"),
                event("FAIL", "B", "job2", "[]", "[]"),
                event("ABORT", "C", "job1", "[]", "[]"),
                event("COMPLETE", "D", "job3", "[" + ds("out") + "]", "[" + ds("mid") + "]"),
                event("OTHER", "E", "job4", "[" + ds("src") + "]", "[]"));
    }

    /** A run's START and COMPLETE, then an end with the other outcome and news after its end (two 409s). */
    List<String> refused() {
        return List.of(
                event("START", "E", "job5", "[" + ds("src") + "]", "[]"),
                event("COMPLETE", "E", "job5", "[]", "[" + ds("out") + "]"),
                event("FAIL", "E", "job5", "[]", "[]"),
                event("RUNNING", "E", "job5", "[" + ds("late") + "]", "[]"));
    }
}
