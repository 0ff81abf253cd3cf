package dev.porthole.docker;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * The PEM files of an https environment: the CA that signs the engine's certificate (none: the JVM's trusted
 * CAs), and the client certificate and key for mutual TLS (both or neither). {@code skipVerify} trusts any
 * server certificate; Porthole logs a warning each time it builds a client with it.
 *
 * <p>{@code stamp} records when the files last changed, so that replacing a certificate on disk counts as a change
 * of the environment; it is not part of the configuration.
 */
public record TlsFiles(Path ca, Path cert, Path key, boolean skipVerify, String stamp) {
    public static final TlsFiles NONE = new TlsFiles(null, null, null, false, "");

    public TlsFiles {
        if ((cert == null) != (key == null)) {
            throw new IllegalArgumentException("tls.cert and tls.key go together: give both or neither");
        }
        stamp = stamp == null ? "" : stamp;
    }

    /** The files as configured, stamped with their current modification times and sizes. */
    public static TlsFiles of(Path ca, Path cert, Path key, boolean skipVerify) {
        return new TlsFiles(ca, cert, key, skipVerify, stampOf(ca, cert, key));
    }

    /** The same files, stamped now: differs from this one when a file was replaced since. */
    TlsFiles restamped() {
        return new TlsFiles(ca, cert, key, skipVerify, stampOf(ca, cert, key));
    }

    boolean clientCertificate() {
        return cert != null;
    }

    private static String stampOf(Path... files) {
        StringBuilder stamp = new StringBuilder();
        Stream.of(files).filter(Objects::nonNull).forEach(file -> {
            try {
                stamp.append(Files.getLastModifiedTime(file).toMillis()).append('/').append(Files.size(file)).append(';');
            } catch (IOException e) {
                stamp.append("missing;");
            }
        });
        return stamp.toString();
    }
}
