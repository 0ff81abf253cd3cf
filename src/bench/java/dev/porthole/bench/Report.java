package dev.porthole.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The result table: each figure through Porthole and direct, their ratio, and the target it is held to. */
final class Report {
    private record Row(String figure, String porthole, String direct, String ratio, String target) {
    }

    private final List<Row> rows = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();

    /** A figure measured both ways; the ratio is Porthole's value over the direct one. */
    void add(String figure, double porthole, double direct, String unit, String target) {
        String ratio = Double.isNaN(direct) || direct == 0 ? "" : format(porthole / direct);
        rows.add(new Row(figure, format(porthole) + " " + unit, Double.isNaN(direct) ? "-" : format(direct) + " " + unit,
                ratio, target));
        print(rows.get(rows.size() - 1));
    }

    /** A figure that has a value only through Porthole (the server's own resources). */
    void add(String figure, String porthole, String direct, String target) {
        rows.add(new Row(figure, porthole, direct, "", target));
        print(rows.get(rows.size() - 1));
    }

    void note(String note) {
        notes.add(note);
        System.out.println("  note: " + note);
    }

    private static void print(Row row) {
        System.out.printf("  %-44s %18s %18s %7s%n", row.figure, row.porthole, row.direct, row.ratio);
    }

    static String format(double value) {
        if (Double.isNaN(value)) {
            return "n/a";
        }
        return String.format(Locale.ROOT, Math.abs(value) >= 100 ? "%.0f" : Math.abs(value) >= 10 ? "%.1f" : "%.2f", value);
    }

    String markdown(String heading) {
        StringBuilder md = new StringBuilder(heading).append("\n\n");
        md.append("| figure | Porthole | direct | ratio | target |\n|---|---:|---:|---:|---|\n");
        for (Row r : rows) {
            md.append("| ").append(r.figure).append(" | ").append(r.porthole).append(" | ").append(r.direct)
                    .append(" | ").append(r.ratio).append(" | ").append(r.target).append(" |\n");
        }
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
