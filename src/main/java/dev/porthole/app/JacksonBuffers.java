package dev.porthole.app;

import com.fasterxml.jackson.core.util.BufferRecyclers;

/**
 * Jackson keeps a buffer per thread that parsed or wrote JSON, in a {@code ThreadLocal} behind a soft reference. The
 * container's request threads outlive the web app, so after an undeploy or reload each such buffer still held the old
 * copy's class loader, for Tomcat's leak finder to report, until that thread next served a request of the new copy.
 * With Jackson's tracking on, which it offers for this case, shutdown lets go of every one of them. Tracking must be
 * on before Jackson first hands out a buffer in this web app: {@link #track} comes first in the start.
 */
final class JacksonBuffers {
    private JacksonBuffers() {
    }

    /** Turns Jackson's tracking on for this JVM, unless it was configured; its only cost is a set of the buffers. */
    static void track() {
        if (System.getProperty(BufferRecyclers.SYSTEM_PROPERTY_TRACK_REUSABLE_BUFFERS) == null) {
            System.setProperty(BufferRecyclers.SYSTEM_PROPERTY_TRACK_REUSABLE_BUFFERS, "true");
        }
    }

    /**
     * Lets go of every thread's buffer. False when they hold this web app's classes and could not be let go of:
     * tracking was off when Jackson started. A server's own Jackson (Payara's) holds none of them.
     */
    static boolean release() {
        return BufferRecyclers.releaseBuffers() >= 0
                || BufferRecyclers.class.getClassLoader() != JacksonBuffers.class.getClassLoader();
    }
}
