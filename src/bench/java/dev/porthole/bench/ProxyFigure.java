package dev.porthole.bench;

import dev.porthole.it.Nginx;
import java.time.Duration;
import java.util.Arrays;

/**
 * Output throughput through Debian's nginx running {@code deploy/nginx.conf} as shipped (TLS, {@code wss://}), beside
 * the same client straight to Porthole ({@code ws://}), on one shell each, alternated {@code runs} times so that a
 * neighbour's burst on the machine falls on both sides; medians. Both sides use the plain blocking client, so that
 * they differ by the proxy and its TLS only.
 */
final class ProxyFigure {
    private static final Duration PROMPT = Duration.ofSeconds(30);

    /** Medians in MiB/s. */
    record Result(double proxied, double direct) {
    }

    private ProxyFigure() {
    }

    static Result measure(PortholeClient porthole, String baseUrl, String container, long bytes, int runs) throws Exception {
        double[] proxied = new double[runs];
        double[] direct = new double[runs];
        try (Nginx nginx = Nginx.start(java.net.URI.create(baseUrl).getPort())) {
            for (int run = 0; run < runs; run++) {
                try (BenchTerminal t = porthole.openPlainShell(container, PROMPT)) {
                    direct[run] = SingleSessionFigures.throughputMiBs(t, bytes);
                }
                try (BenchTerminal t = porthole.openPlainShellThrough(nginx.baseUrl(),
                        nginx.clientTls().getSocketFactory(), container, PROMPT)) {
                    proxied[run] = SingleSessionFigures.throughputMiBs(t, bytes);
                }
                System.out.printf("  run %d: through nginx %.1f MiB/s, direct %.1f MiB/s%n", run + 1, proxied[run], direct[run]);
            }
        }
        return new Result(median(proxied), median(direct));
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }
}
