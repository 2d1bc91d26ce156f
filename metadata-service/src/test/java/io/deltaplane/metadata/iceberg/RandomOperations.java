package io.deltaplane.metadata.iceberg;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * The operations a generated table gets, in a random order: each kind the table allows at least
 * once (so that a few seeds cover them all), the rest at random by weight, appends most; an append
 * first. Iceberg is switched off once, in the first half, and on again a few operations later
 * ({@link #offFor}).
 */
final class RandomOperations {

    enum Kind {
        APPEND(10),
        REMOVE(3),
        OPTIMIZE(3),
        ADD_COLUMN(3),
        PROPERTY(2),
        /** Rows deleted with a deletion vector (tables with deletion vectors). */
        DELETE_ROWS(3),
        /** Column mapping only. */
        RENAME_COLUMN(2),
        /** Column mapping only, partitioned tables. */
        RENAME_PARTITION_COLUMN(1),
        /** Column mapping only. */
        DROP_COLUMN(1),
        /** New partition columns, every file removed in the same version. */
        REPARTITION(1),
        ICEBERG_OFF(0),
        ICEBERG_ON(0);

        final int weight;

        Kind(int weight) {
            this.weight = weight;
        }
    }

    private final Random random;

    RandomOperations(Random random) {
        this.random = random;
    }

    /** 8 to 15 operations and one more for each kind beyond the core; Iceberg switched on again on top ({@link #offFor}). */
    List<Kind> plan(Set<Kind> allowed) {
        List<Kind> plan = new ArrayList<>(List.of(Kind.APPEND, Kind.APPEND));
        Map<Kind, Integer> weights = new LinkedHashMap<>();
        for (Kind kind : Kind.values()) {
            if (kind.weight > 0 && allowed.contains(kind)) {
                weights.put(kind, kind.weight);
                if (kind != Kind.APPEND) {
                    plan.add(kind);
                }
            }
        }
        int count = 8 + random.nextInt(8) + Math.max(0, plan.size() - 7);
        while (plan.size() < count - 2) {
            plan.add(weighted(weights));
        }
        Collections.shuffle(plan, random);
        plan.add(0, Kind.APPEND);
        // off in the first half: versions are made while it is off, and after it
        plan.add(1 + random.nextInt(plan.size() / 2), Kind.ICEBERG_OFF);
        return plan;
    }

    /** How many operations Iceberg stays off for. */
    int offFor() {
        return 1 + random.nextInt(3);
    }

    private Kind weighted(Map<Kind, Integer> weights) {
        int total = weights.values().stream().mapToInt(Integer::intValue).sum();
        int pick = random.nextInt(total);
        for (Map.Entry<Kind, Integer> weight : weights.entrySet()) {
            pick -= weight.getValue();
            if (pick < 0) {
                return weight.getKey();
            }
        }
        throw new IllegalStateException();
    }
}
