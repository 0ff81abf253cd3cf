package dev.porthole.it;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** One answer of {@code /api/metrics}, read as Prometheus reads its text format: a value per series. */
final class Scrape {
    private static final Pattern SAMPLE = Pattern.compile("([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\\{(.*)})? (\\S+)");
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\",?");

    private record Series(String name, Map<String, String> labels) {
    }

    private final Map<Series, Double> samples = new LinkedHashMap<>();
    private final String text;

    Scrape(String text) {
        this.text = text;
        for (String line : text.split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            Matcher m = SAMPLE.matcher(line);
            if (!m.matches()) {
                throw new AssertionError("not a Prometheus sample line: " + line);
            }
            Map<String, String> labels = new HashMap<>();
            if (m.group(2) != null) {
                Matcher l = LABEL.matcher(m.group(2));
                int end = 0;
                while (l.find() && l.start() == end) {
                    labels.put(l.group(1), l.group(2));
                    end = l.end();
                }
                if (end != m.group(2).length()) {
                    throw new AssertionError("bad labels in: " + line);
                }
            }
            samples.put(new Series(m.group(1), labels), Double.parseDouble(m.group(3)));
        }
    }

    /**
     * The sum of every series named {@code name} whose labels include {@code labels} (name, value, name, value...);
     * zero when there is none, as for a counter not yet counted.
     */
    double value(String name, String... labels) {
        Map<String, String> wanted = new HashMap<>();
        for (int i = 0; i < labels.length; i += 2) {
            wanted.put(labels[i], labels[i + 1]);
        }
        return samples.entrySet().stream()
                .filter(e -> e.getKey().name().equals(name) && e.getKey().labels().entrySet().containsAll(wanted.entrySet()))
                .mapToDouble(Map.Entry::getValue).sum();
    }

    /** Whether any series is named {@code name}. */
    boolean has(String name) {
        return samples.keySet().stream().anyMatch(s -> s.name().equals(name));
    }

    /** Every label name, and every value of {@code label}, among the series whose names start with {@code prefix}. */
    java.util.Set<String> labelNames(String prefix) {
        java.util.Set<String> names = new java.util.TreeSet<>();
        samples.keySet().stream().filter(s -> s.name().startsWith(prefix)).forEach(s -> names.addAll(s.labels().keySet()));
        return names;
    }

    java.util.Set<String> labelValuesOf(String prefix, String label) {
        java.util.Set<String> values = new java.util.TreeSet<>();
        samples.keySet().stream().filter(s -> s.name().startsWith(prefix) && s.labels().containsKey(label))
                .forEach(s -> values.add(s.labels().get(label)));
        return values;
    }

    @Override
    public String toString() {
        return text;
    }
}
