package dev.porthole.docker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class StartRequestTest {
    private static final String REQUEST = "POST /exec/x/start HTTP/1.1\r\nHost: docker\r\nContent-Length: 27\r\n\r\n"
            + "{\"Detach\":false,\"Tty\":true}";

    @Test
    void aRequestInPiecesIsCompleteOnlyAfterItsBodyAndLeavesTheKeysThatFollowIt() {
        StartRequest request = new StartRequest();
        byte[] all = (REQUEST + "ls").getBytes(StandardCharsets.US_ASCII);
        ByteBuffer first = ByteBuffer.wrap(all, 0, 30);
        request.take(first);
        assertFalse(request.complete());
        ByteBuffer middle = ByteBuffer.wrap(all, 30, REQUEST.length() - 31);
        request.take(middle);
        assertFalse(request.complete(), "one body byte is still missing");
        ByteBuffer rest = ByteBuffer.wrap(all, REQUEST.length() - 1, 3);
        request.take(rest);
        assertTrue(request.complete());
        assertEquals("ls", StandardCharsets.US_ASCII.decode(rest).toString());
    }

    @Test
    void aRequestWithoutABodyIsCompleteAtItsBlankLine() {
        StartRequest request = new StartRequest();
        ByteBuffer in = ByteBuffer.wrap("POST /x HTTP/1.1\r\nHost: d\r\n\r\nk".getBytes(StandardCharsets.US_ASCII));
        request.take(in);
        assertTrue(request.complete());
        assertEquals(1, in.remaining());
    }

    @Test
    void aHeadThatNeverEndsIsRefused() {
        StartRequest request = new StartRequest();
        assertThrows(IllegalStateException.class, () -> request.take(ByteBuffer.wrap(new byte[9000])));
    }
}
