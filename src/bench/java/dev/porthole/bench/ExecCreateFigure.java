package dev.porthole.bench;

import java.util.concurrent.locks.LockSupport;

/**
 * {@code POST .../exec} through Porthole against {@code POST /containers/{id}/exec} straight to the engine, both
 * on the same plain blocking HTTP/1.1 client and a keep-alive connection each, interleaved call by call so that
 * any drift of the engine (it keeps every exec instance) or of the shared machine hits every series alike.
 * Two more series: the same create through the JDK's HttpClient (how this figure was first measured, and what a
 * Java caller of the API sees), and {@code GET /api/auth/session}, the floor of any signed-in round trip through
 * Tomcat, the filters and Jersey with no engine call behind it.
 * <p>
 * Porthole may answer before the engine's create is done (it overlaps the client's handshake), so each of its
 * calls is followed by a pause in which that create finishes: otherwise it would run during, and slow, the next
 * call measured, the engine's own create among them.
 */
final class ExecCreateFigure {
    private static final int WARM_UP = 10000;
    private static final long SETTLE_NANOS = 2_000_000;

    private ExecCreateFigure() {
    }

    /** Porthole's create, the engine's own create, the create through the JDK HttpClient, and the signed-in floor. */
    record Result(Stats porthole, Stats direct, Stats jdkClient, Stats floor, int reopened) {
    }

    static Result measure(PortholeClient porthole, DirectEngine direct, String container, int count) throws Exception {
        long[] viaPorthole = new long[count];
        long[] straight = new long[count];
        long[] jdk = new long[count];
        long[] floor = new long[count];
        try (EngineSocket socket = direct.connect(); PortholeConnection api = porthole.connect()) {
            // A forked server is cold: its first thousand creates ran 2-3x slower than later ones until the JIT had
            // compiled the path, and a server in use is warm. So warm up well past that, on the fast client.
            for (int i = 0; i < WARM_UP; i++) {
                api.createExec(container);
                DirectEngine.createExec(socket, container);
                api.session();
                if (i % 10 == 0) {
                    porthole.createExec(container);
                }
            }
            int reopenedBefore = api.reopened();
            for (int i = 0; i < count; i++) {
                long t0 = System.nanoTime();
                api.createExec(container);
                viaPorthole[i] = System.nanoTime() - t0;
                LockSupport.parkNanos(SETTLE_NANOS);
                long t1 = System.nanoTime();
                DirectEngine.createExec(socket, container);
                straight[i] = System.nanoTime() - t1;
                long t2 = System.nanoTime();
                api.session();
                floor[i] = System.nanoTime() - t2;
                long t3 = System.nanoTime();
                porthole.createExec(container);
                jdk[i] = System.nanoTime() - t3;
                LockSupport.parkNanos(SETTLE_NANOS);
            }
            return new Result(new Stats(viaPorthole), new Stats(straight), new Stats(jdk), new Stats(floor),
                    api.reopened() - reopenedBefore);
        }
    }
}
