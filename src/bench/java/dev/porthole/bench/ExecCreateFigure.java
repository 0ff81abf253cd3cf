package dev.porthole.bench;

/**
 * {@code POST .../exec} through Porthole against {@code POST /containers/{id}/exec} straight to the engine,
 * alternating one of each so that any drift of the engine (it keeps every exec instance) hits both alike.
 */
final class ExecCreateFigure {
    private ExecCreateFigure() {
    }

    /** [0] through Porthole, [1] direct. */
    static Stats[] measure(PortholeClient porthole, DirectEngine direct, String container, int count) throws Exception {
        int warmUp = 50;
        long[] viaPorthole = new long[count];
        long[] straight = new long[count];
        try (EngineSocket socket = direct.connect()) {
            for (int i = 0; i < count + warmUp; i++) {
                long t0 = System.nanoTime();
                porthole.createExec(container);
                long t1 = System.nanoTime();
                DirectEngine.createExec(socket, container);
                long t2 = System.nanoTime();
                if (i >= warmUp) {
                    viaPorthole[i - warmUp] = t1 - t0;
                    straight[i - warmUp] = t2 - t1;
                }
            }
        }
        return new Stats[] {new Stats(viaPorthole), new Stats(straight)};
    }
}
