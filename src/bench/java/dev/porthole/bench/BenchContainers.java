package dev.porthole.bench;

import dev.porthole.it.Engine;
import java.util.ArrayList;
import java.util.List;

/**
 * The benchmark's own containers, {@code ph-bench-*}, beside the shared test containers it never touches: busybox
 * from the test image, no network, removed at the end.
 */
final class BenchContainers implements AutoCloseable {
    static final String IMAGE = "porthole/busybox:test";

    private final List<String> names = new ArrayList<>();

    /** {@code ph-bench-1} .. {@code ph-bench-N}, and {@code ph-bench-create} for the exec instances never started. */
    static BenchContainers start(int count) {
        BenchContainers containers = new BenchContainers();
        for (int i = 1; i <= count; i++) {
            containers.run("ph-bench-" + i);
        }
        containers.run("ph-bench-create");
        return containers;
    }

    private void run(String name) {
        Engine.docker("rm", "-f", name); // a leftover of an interrupted run
        String out = Engine.docker("run", "-d", "--network", "none", "--name", name, IMAGE, "sleep", "100000");
        if (!out.trim().matches("[0-9a-f]{64}")) {
            throw new IllegalStateException("cannot start " + name + ": " + out);
        }
        names.add(name);
    }

    /** The i-th container that holds shells, counting from 0, round robin. */
    String shells(int i) {
        return names.get(i % (names.size() - 1));
    }

    /** The containers that hold shells. */
    List<String> shellContainers() {
        return names.subList(0, names.size() - 1);
    }

    String forCreates() {
        return names.get(names.size() - 1);
    }

    @Override
    public void close() {
        if (!names.isEmpty()) {
            List<String> args = new ArrayList<>(List.of("rm", "-f"));
            args.addAll(names);
            Engine.docker(args.toArray(String[]::new));
        }
    }
}
