package dev.porthole.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * Where terminals' times to prompt went, stage by stage, as the browser-like client saw them (its prompt job answers
 * them beside the times): which step of the page's flow a difference between two sides is in.
 */
final class PromptStages {
    private static final List<String> NAMES = List.of("create", "socket open", "first output", "prompt");

    private final List<long[]> terminals = new ArrayList<>();

    /** Takes the stages of every terminal of one prompt job's result. */
    void add(JsonNode result) {
        result.get("stages").forEach(terminal -> {
            long[] nanos = new long[NAMES.size()];
            for (int i = 0; i < nanos.length; i++) {
                nanos[i] = terminal.get(i).asLong();
            }
            terminals.add(nanos);
        });
    }

    /** Each stage's median on both sides, in ms: "create 12.1 | 9.80; resize ...". */
    static String sideBySide(PromptStages left, PromptStages right) {
        List<String> parts = new ArrayList<>();
        for (int stage = 0; stage < NAMES.size(); stage++) {
            parts.add(NAMES.get(stage) + " " + Report.format(left.median(stage)) + " | "
                    + Report.format(right.median(stage)));
        }
        return String.join("; ", parts);
    }

    /** Each stage's median, in ms: "create 12.1; resize ...". */
    String medians() {
        List<String> parts = new ArrayList<>();
        for (int stage = 0; stage < NAMES.size(); stage++) {
            parts.add(NAMES.get(stage) + " " + Report.format(median(stage)));
        }
        return String.join("; ", parts);
    }

    private double median(int stage) {
        return new Stats(terminals.stream().mapToLong(nanos -> nanos[stage]).toArray()).percentileMillis(50);
    }
}
