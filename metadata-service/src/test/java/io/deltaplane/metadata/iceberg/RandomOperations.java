package io.deltaplane.metadata.iceberg;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The operations a generated table gets, in a random order: each kind at least once (so that a few
 * seeds cover them all), the rest at random by weight, appends most; an append first. Iceberg is
 * switched off once, in the first half, and on again a few operations later ({@link #offFor}).
 */
final class RandomOperations {

    enum Kind {
        APPEND,
        REMOVE,
        OPTIMIZE,
        ADD_COLUMN,
        PROPERTY,
        ICEBERG_OFF,
        ICEBERG_ON
    }

    private static final Map<Kind, Integer> WEIGHTS = new LinkedHashMap<>();

    static {
        WEIGHTS.put(Kind.APPEND, 10);
        WEIGHTS.put(Kind.REMOVE, 3);
        WEIGHTS.put(Kind.OPTIMIZE, 3);
        WEIGHTS.put(Kind.ADD_COLUMN, 3);
        WEIGHTS.put(Kind.PROPERTY, 2);
    }

    private final Random random;

    RandomOperations(Random random) {
        this.random = random;
    }

    /** 8 to 15 operations (Iceberg switched on again comes on top, {@link #offFor}). */
    List<Kind> plan() {
        List<Kind> plan = new ArrayList<>(
                List.of(Kind.APPEND, Kind.APPEND, Kind.REMOVE, Kind.OPTIMIZE, Kind.ADD_COLUMN, Kind.PROPERTY));
        int count = 8 + random.nextInt(8);
        while (plan.size() < count - 2) {
            plan.add(weighted());
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

    private Kind weighted() {
        int total = WEIGHTS.values().stream().mapToInt(Integer::intValue).sum();
        int pick = random.nextInt(total);
        for (Map.Entry<Kind, Integer> weight : WEIGHTS.entrySet()) {
            pick -= weight.getValue();
            if (pick < 0) {
                return weight.getKey();
            }
        }
        throw new IllegalStateException();
    }
}
