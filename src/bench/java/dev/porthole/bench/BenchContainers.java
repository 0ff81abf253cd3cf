package dev.porthole.bench;

import dev.porthole.it.Engine;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The benchmark's own containers, {@code ph-bench-*}, beside the shared test containers it never touches: busybox
 * from the test image, no network, removed at the end.
 */
final class BenchContainers implements AutoCloseable {
    static final String IMAGE = "porthole/busybox:test";

    private final List<String> names = new ArrayList<>();

    /**
     * {@code ph-bench-<pid>-1} .. {@code ph-bench-<pid>-N}, and {@code ph-bench-<pid>-create} for the exec instances
     * never started. The pid keeps two runs on a shared engine (other worktrees, other developers) from removing
     * each other's containers as leftovers.
     */
    static BenchContainers start(int count) {
        BenchContainers containers = new BenchContainers();
        String prefix = "ph-bench-" + ProcessHandle.current().pid() + "-";
        for (int i = 1; i <= count; i++) {
            containers.run(prefix + i);
        }
        containers.run(prefix + "create");
        return containers;
    }

    private void run(String name) {
        Engine.docker("rm", "-f", name); // a leftover of an interrupted run that had this pid
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

    /** Processes that are not zombies in the containers that hold shells: their init is a plain sleep, which reaps no one. */
    int liveProcesses() {
        int live = 0;
        for (String container : shellContainers()) {
            String count = Engine.exec(container, "sh", "-c",
                    "grep -L '^State:[[:space:]]*Z' /proc/[0-9]*/status 2>/dev/null | wc -l");
            live += Integer.parseInt(count.trim());
        }
        return live;
    }

    /** Waits until at most {@code bound} processes live in the shell containers, or {@code timeout}; answers how many do. */
    int awaitProcesses(int bound, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        int live;
        while ((live = liveProcesses()) > bound && System.nanoTime() < deadline) {
            Thread.sleep(1000);
        }
        return live;
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
