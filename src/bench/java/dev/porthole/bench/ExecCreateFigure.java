package dev.porthole.bench;

/**
 * {@code POST .../exec} through Porthole against {@code POST /containers/{id}/exec} straight to the engine,
 * alternating one of each so that any drift of the engine (it keeps every exec instance) hits both alike. A third
 * series, {@code GET /api/auth/session} on the same client, is the floor: what one signed-in round trip through
 * Tomcat, the filters and Jersey costs with no engine call behind it.
 */
final class ExecCreateFigure {
    private ExecCreateFigure() {
    }

    /** Porthole's create, the engine's own create, and the signed-in floor. */
    record Result(Stats porthole, Stats direct, Stats floor) {
    }

    static Result measure(PortholeClient porthole, DirectEngine direct, String container, int count) throws Exception {
        int warmUp = 50;
        long[] viaPorthole = new long[count];
        long[] straight = new long[count];
        long[] floor = new long[count];
        try (EngineSocket socket = direct.connect()) {
            for (int i = 0; i < count + warmUp; i++) {
                long t0 = System.nanoTime();
                porthole.createExec(container);
                long t1 = System.nanoTime();
                DirectEngine.createExec(socket, container);
                long t2 = System.nanoTime();
                porthole.session();
                long t3 = System.nanoTime();
                if (i >= warmUp) {
                    viaPorthole[i - warmUp] = t1 - t0;
                    straight[i - warmUp] = t2 - t1;
                    floor[i - warmUp] = t3 - t2;
                }
            }
        }
        return new Result(new Stats(viaPorthole), new Stats(straight), new Stats(floor));
    }
}
