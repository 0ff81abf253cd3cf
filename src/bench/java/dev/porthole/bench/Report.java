package dev.porthole.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The result table: each figure through Porthole and direct, their ratio, and the target it is held to, for every
 * server runtime measured, side by side. A figure measured in several runs (each on a fresh server) shows the median
 * and, in brackets, the lowest and highest run; its ratio is the median of the runs' own ratios, each taken within one
 * run, since only values of the same run compare on a shared machine.
 */
final class Report {
    /** One figure's values on one runtime, a value per run. */
    private static final class Cell {
        final List<Double> porthole = new ArrayList<>();
        final List<Double> direct = new ArrayList<>();
        final List<Double> ratios = new ArrayList<>();
        final List<String> texts = new ArrayList<>();
        String directText = "";
    }

    private record Row(String unit, String target, Map<String, Cell> cells) {
    }

    private final Map<String, Row> rows = new LinkedHashMap<>();
    private final List<String> runtimes = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();
    private String runtime = "";

    /** The runtime whose values the following calls add, e.g. {@code Java 17}. */
    void runtime(String name) {
        runtime = name;
        if (!runtimes.contains(name)) {
            runtimes.add(name);
        }
    }

    private Cell cell(String figure, String unit, String target) {
        return rows.computeIfAbsent(figure, f -> new Row(unit, target, new LinkedHashMap<>()))
                .cells().computeIfAbsent(runtime, r -> new Cell());
    }

    /** A figure measured both ways in one run; NaN for a side not measured. */
    void add(String figure, double porthole, double direct, String unit, String target) {
        Cell c = cell(figure, unit, target);
        c.porthole.add(porthole);
        if (!Double.isNaN(direct)) {
            c.direct.add(direct);
            if (direct != 0) {
                c.ratios.add(porthole / direct);
            }
        }
        System.out.printf("  %-58s %12s %12s %7s%n", figure, format(porthole) + " " + unit,
                Double.isNaN(direct) ? "-" : format(direct) + " " + unit,
                Double.isNaN(direct) || direct == 0 ? "" : format(porthole / direct));
    }

    /** A figure that is words, not a number (counts, a before and after); the runs' values are listed. */
    void add(String figure, String porthole, String direct, String target) {
        Cell c = cell(figure, "", target);
        c.texts.add(porthole);
        c.directText = direct;
        System.out.printf("  %-58s %25s %12s%n", figure, porthole, direct);
    }

    void note(String note) {
        notes.add(note);
        System.out.println("  note: " + note);
    }

    static String format(double value) {
        if (Double.isNaN(value)) {
            return "n/a";
        }
        return String.format(Locale.ROOT, Math.abs(value) >= 100 ? "%.0f" : Math.abs(value) >= 10 ? "%.1f" : "%.2f", value);
    }

    /** The median, with the lowest and highest in brackets when there is more than one value. */
    static String spread(List<Double> values, String unit) {
        if (values.isEmpty()) {
            return "-";
        }
        double[] v = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        double median = v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
        String text = format(median) + (unit.isEmpty() ? "" : " " + unit);
        return v.length == 1 ? text : text + " (" + format(v[0]) + "-" + format(v[v.length - 1]) + ")";
    }

    String markdown(String heading) {
        StringBuilder md = new StringBuilder(heading).append("\n\n| figure |");
        StringBuilder rule = new StringBuilder("|---|");
        for (String r : runtimes) {
            md.append(" Porthole, ").append(r).append(" | direct | ratio |");
            rule.append("---:|---:|---:|");
        }
        md.append(" target |\n").append(rule).append("---|\n");
        rows.forEach((figure, row) -> {
            md.append("| ").append(figure).append(" |");
            for (String r : runtimes) {
                Cell c = row.cells().get(r);
                if (c == null) {
                    md.append(" | | |");
                } else if (!c.texts.isEmpty()) {
                    md.append(' ').append(String.join(" / ", c.texts)).append(" | ").append(c.directText).append(" | |");
                } else {
                    md.append(' ').append(spread(c.porthole, row.unit())).append(" | ").append(spread(c.direct, row.unit()))
                            .append(" | ").append(c.ratios.isEmpty() ? "" : spread(c.ratios, "")).append(" |");
                }
            }
            md.append(' ').append(row.target()).append(" |\n");
        });
        if (!notes.isEmpty()) {
            md.append('\n');
            notes.forEach(n -> md.append("- ").append(n).append('\n'));
        }
        return md.toString();
    }

    void write(Path file, String heading) throws IOException {
        Files.writeString(file, markdown(heading));
    }
}
