package dev.porthole.embedded;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.management.HotSpotDiagnosticMXBean;
import com.sun.management.VMOption;
import java.lang.management.ManagementFactory;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** On this JVM itself: the three settings are made where nothing chose them, and a value given on the command line stays. */
class HeapReturnTest {
    private static final Map<String, String> WANTED = new LinkedHashMap<>(Map.of(
            "MinHeapFreeRatio", "10", "MaxHeapFreeRatio", "30", "G1PeriodicGCInterval", "60000"));

    @Test
    void underG1ItSetsWhatNothingChoseAndLeavesWhatTheCommandLineGave() {
        HotSpotDiagnosticMXBean hotspot = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
        boolean g1 = "true".equals(hotspot.getVMOption("UseG1GC").getValue());
        Map<String, VMOption> before = new LinkedHashMap<>();
        WANTED.keySet().forEach(name -> before.put(name, hotspot.getVMOption(name)));

        List<String> set = HeapReturn.apply();

        if (!g1) {
            assertEquals(List.of(), set, "another collector: nothing is set");
            return;
        }
        WANTED.forEach((name, value) -> {
            VMOption was = before.get(name);
            VMOption now = hotspot.getVMOption(name);
            if (was.getOrigin() == VMOption.Origin.DEFAULT) {
                assertEquals(value, now.getValue(), name);
                assertTrue(set.contains(name + "=" + value), set.toString());
            } else {
                assertEquals(was.getValue(), now.getValue(), name + " was given: it stays");
                assertFalse(set.stream().anyMatch(s -> s.startsWith(name + "=")), set.toString());
            }
        });
    }
}
