package dev.porthole.bench;

import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Which figures a run measures: all of them, or those named in {@code -Dbench.only} (a comma list), so that one
 * figure being worked on can be rerun in seconds instead of the ten minutes of the whole table.
 */
final class Figures {
    static final List<String> NAMES = List.of("memory", "fresh", "chromium", "prompt", "throughput", "echo", "create",
            "paste", "slow", "sessions", "compression", "churn", "proxy", "cluster");

    private final Set<String> selected;

    private Figures(Set<String> selected) {
        this.selected = selected;
    }

    /** {@code only} empty or null means every figure; an unknown name fails at once rather than measuring nothing. */
    static Figures parse(String only) {
        if (only == null || only.isBlank()) {
            return new Figures(new LinkedHashSet<>(NAMES));
        }
        Set<String> selected = new LinkedHashSet<>();
        for (String name : Arrays.stream(only.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList()) {
            if (!NAMES.contains(name)) {
                throw new IllegalArgumentException("bench.only takes a comma list of " + NAMES + ", not " + name);
            }
            selected.add(name);
        }
        return new Figures(selected);
    }

    boolean includes(String name) {
        return selected.contains(name);
    }

    /** Whether the run needs shells at all (every figure but exec create opens some). */
    boolean needsShells() {
        return selected.stream().anyMatch(n -> !n.equals("create"));
    }

    boolean all() {
        return selected.size() == NAMES.size();
    }

    @Override
    public String toString() {
        return String.join(",", selected);
    }
}
