package dev.porthole.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class CloseReasonsTest {

    @Test
    void anExitCodeRoundTrips() {
        assertEquals("exit 3", CloseReasons.exited(3));
        assertEquals(OptionalInt.of(130), CloseReasons.exitCode(CloseReasons.exited(130)));
        assertEquals(OptionalInt.empty(), CloseReasons.exitCode("client closed"));
        assertEquals("exit unknown", CloseReasons.exited(null));
    }

    @Test
    void aLongReasonIsCutOnACharacterBoundaryWithin123Bytes() {
        String reason = "é".repeat(200);
        String fitted = CloseReasons.fit(reason);
        byte[] bytes = fitted.getBytes(StandardCharsets.UTF_8);
        assertTrue(bytes.length <= 123, "length " + bytes.length);
        assertTrue(fitted.endsWith("..."));
        assertEquals(fitted, new String(bytes, StandardCharsets.UTF_8));
    }

    @Test
    void aShortReasonIsLeftAlone() {
        assertEquals("client closed", CloseReasons.fit("client closed"));
    }
}
