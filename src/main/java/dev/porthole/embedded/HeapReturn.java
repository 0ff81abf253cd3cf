package dev.porthole.embedded;

import com.sun.management.HotSpotDiagnosticMXBean;
import com.sun.management.VMOption;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;

/**
 * Lets the embedded start's JVM give back heap it no longer uses. G1 keeps committed up to 3.3 times the live heap
 * after a collection by default ({@code MaxHeapFreeRatio=70}), and a burst of terminals opening on a fresh server
 * grows it so: with 1,000 terminals that was 80 MiB, two thirds of the server's resident growth, against 25 MiB
 * live (docs/benchmarks.md, "Memory per terminal"). The embedded start sets, for G1 only and only where the command
 * line named no value of its own: {@code MinHeapFreeRatio=10} and {@code MaxHeapFreeRatio=30}, so that a heap resize
 * keeps at most 1.4 times the live heap, and {@code G1PeriodicGCInterval=60000}, so that a server with no collection
 * for a minute runs a concurrent cycle, whose end resizes the heap. All three are manageable flags, set on the
 * running JVM: the embedded start is often {@code mvn exec:java}, whose JVM options are Maven's.
 */
final class HeapReturn {
    private HeapReturn() {
    }

    /** Applies the three settings; answers what it set, for the log (empty when the collector is not G1). */
    static List<String> apply() {
        HotSpotDiagnosticMXBean hotspot = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
        List<String> set = new ArrayList<>();
        if (hotspot == null || !"true".equals(hotspot.getVMOption("UseG1GC").getValue())) {
            return set;
        }
        // The minimum first: the maximum may not go below it.
        setUnlessGiven(hotspot, "MinHeapFreeRatio", "10", set);
        setUnlessGiven(hotspot, "MaxHeapFreeRatio", "30", set);
        setUnlessGiven(hotspot, "G1PeriodicGCInterval", "60000", set);
        return set;
    }

    private static void setUnlessGiven(HotSpotDiagnosticMXBean hotspot, String name, String value, List<String> set) {
        VMOption option = hotspot.getVMOption(name);
        if (option.getOrigin() == VMOption.Origin.DEFAULT && option.isWriteable()) {
            hotspot.setVMOption(name, value);
            set.add(name + "=" + value);
        }
    }
}
