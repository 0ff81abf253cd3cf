package dev.porthole.app;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.runtime.ObjectMethods;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Java 17 links a record's {@code equals}, {@code hashCode} and {@code toString} through method handles that the whole
 * JVM shares, and each of those keeps the last type it was adapted to (JDK-8078641, fixed in Java 18). Porthole's
 * records are compared on every engine call ({@code Environment.equals}), so after an undeploy or reload one of them
 * stayed there, and with it the web app's class loader, for Tomcat's leak finder to report, until some record's method
 * was linked anywhere in the JVM. Linking the three methods once more at shutdown, for a JDK class with a JDK-typed
 * component, puts JDK types in every one of those places; records of any web app are covered, not only those known
 * to be compared.
 */
final class RecordMethodCache {
    private static final Logger log = LoggerFactory.getLogger(RecordMethodCache.class);
    /** Java 18 keeps those types through references that do not hold a class loader. */
    private static final int FIXED_IN = 18;

    private RecordMethodCache() {
    }

    static void forgetThisWebAppsTypes() {
        if (Runtime.version().feature() >= FIXED_IN) {
            return;
        }
        // As if String were a record with one String component: OBJECT_EQ is adapted to (String, Object), and the
        // handles for a reference component (equals, hashCode, toString) to String.
        MethodHandle component = MethodHandles.identity(String.class);
        try {
            for (String method : List.of("equals", "hashCode", "toString")) {
                ObjectMethods.bootstrap(MethodHandles.lookup(), method, MethodHandle.class, String.class, "value", component);
            }
        } catch (Throwable e) {
            log.warn("cannot clear Java 17's record method caches; an undeploy may leave this web app's classes in "
                    + "memory until another record is compared: {}", e.toString());
        }
    }
}
