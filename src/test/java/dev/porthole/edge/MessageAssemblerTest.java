package dev.porthole.edge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class MessageAssemblerTest {
    @Test
    void partsAreJoinedUntilTheLast() throws Exception {
        MessageAssembler assembler = new MessageAssembler(100);
        assertNull(assembler.add("{\"type\":", false));
        assertNull(assembler.add("\"ping\"", false));
        assertEquals("{\"type\":\"ping\"}\n", assembler.add("}\n", true));
        assertEquals("whole", assembler.add("whole", true));
    }

    @Test
    void aMessageOverTheCapFailsAndTheNextStartsAfresh() throws Exception {
        MessageAssembler assembler = new MessageAssembler(10);
        assembler.add("123456", false);
        assertThrows(MessageAssembler.TooBig.class, () -> assembler.add("789012", false));
        assertThrows(MessageAssembler.TooBig.class, () -> assembler.add("12345678901", true));
        assertEquals("ok", assembler.add("ok", true));
    }

    @Test
    void theCapCountsUtf8BytesAsTheyCameOverTheWire() throws Exception {
        MessageAssembler assembler = new MessageAssembler(10);
        assertEquals("ééééé", assembler.add("ééééé", true));
        assertThrows(MessageAssembler.TooBig.class, () -> assembler.add("éééééé", true));
        assertNull(assembler.add("€€€", false));
        assertThrows(MessageAssembler.TooBig.class, () -> assembler.add("€", false));
        assertEquals(4, MessageAssembler.utf8Length("😀"));
        assertEquals(3, MessageAssembler.utf8Length("\uD800"));
    }

    @Test
    void multiplexedOutputKeepsStandardOutputOnly() {
        byte[] stream = {1, 0, 0, 0, 0, 0, 0, 2, 'h', 'i', 2, 0, 0, 0, 0, 0, 0, 1, 'e', 1, 0, 0, 0, 0, 0, 0, 1, '!'};
        assertEquals("hi!", new String(AgentExecs.stdout(stream, 100)));
        assertEquals("h", new String(AgentExecs.stdout(stream, 1)));
    }
}
