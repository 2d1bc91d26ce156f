package io.deltaplane.gateway.console;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The samples of a Prometheus text exposition, parsed just enough to pick figures out by name. */
record PrometheusText(List<Sample> samples) {

    record Sample(String name, Map<String, String> labels, double value) {}

    static PrometheusText parse(String text) {
        List<Sample> samples = new ArrayList<>();
        for (String line : text.split("\n")) {
            int firstSpace = line.indexOf(' ');
            if (line.isBlank() || line.startsWith("#") || firstSpace <= 0) {
                continue; // comments, and anything that is not a sample line
            }
            int brace = line.indexOf('{');
            String name;
            Map<String, String> labels = new LinkedHashMap<>();
            String rest;
            if (brace > 0 && brace < firstSpace) {
                int close = line.lastIndexOf('}');
                if (close < brace) {
                    continue;
                }
                name = line.substring(0, brace);
                parseLabels(line.substring(brace + 1, close), labels);
                rest = line.substring(close + 1).trim();
            } else {
                name = line.substring(0, firstSpace);
                rest = line.substring(firstSpace).trim();
            }
            String value = rest.split(" ")[0];
            try {
                samples.add(new Sample(name, labels, Double.parseDouble(value.replace("Inf", "Infinity"))));
            } catch (NumberFormatException ignored) {
                // Not a figure the console reads.
            }
        }
        return new PrometheusText(samples);
    }

    private static void parseLabels(String text, Map<String, String> labels) {
        int i = 0;
        while (i < text.length()) {
            int eq = text.indexOf('=', i);
            if (eq < 0) {
                return;
            }
            String key = text.substring(i, eq).trim();
            int start = text.indexOf('"', eq) + 1;
            StringBuilder value = new StringBuilder();
            int j = start;
            while (j < text.length() && text.charAt(j) != '"') {
                if (text.charAt(j) == '\\' && j + 1 < text.length()) {
                    j++;
                }
                value.append(text.charAt(j));
                j++;
            }
            labels.put(key, value.toString());
            int comma = text.indexOf(',', j);
            i = comma < 0 ? text.length() : comma + 1;
        }
    }

    /** The sum of every sample named {@code name}, or null when there is none. */
    Double sum(String name) {
        Double total = null;
        for (Sample sample : samples) {
            if (sample.name().equals(name)) {
                total = (total == null ? 0 : total) + sample.value();
            }
        }
        return total;
    }

    /** The largest sample named {@code name}, or null when there is none. */
    Double max(String name) {
        Double max = null;
        for (Sample sample : samples) {
            if (sample.name().equals(name) && (max == null || sample.value() > max)) {
                max = sample.value();
            }
        }
        return max;
    }

    /** Cumulative histogram buckets of {@code name} summed across tags: upper bound to count. */
    Map<String, Double> buckets(String name) {
        Map<String, Double> buckets = new LinkedHashMap<>();
        for (Sample sample : samples) {
            if (sample.name().equals(name + "_bucket")) {
                buckets.merge(sample.labels().getOrDefault("le", "+Inf"), sample.value(), Double::sum);
            }
        }
        return buckets;
    }
}
