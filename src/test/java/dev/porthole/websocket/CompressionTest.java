package dev.porthole.websocket;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import jakarta.websocket.Extension;
import jakarta.websocket.Session;
import java.lang.reflect.Proxy;
import java.util.List;
import org.junit.jupiter.api.Test;

class CompressionTest {
    private static final Extension DEFLATE = extension(Compression.PERMESSAGE_DEFLATE);
    private static final Extension OTHER = extension("x-other");

    @Test
    void offLeavesOutDeflateAndKeepsOtherExtensions() {
        Compression off = new Compression(false, 100);
        assertEquals(List.of(OTHER), off.admit(List.of(DEFLATE, OTHER)));
    }

    @Test
    void onAdmitsDeflateUntilItsBudgetOfOpenSocketsIsSpent() {
        Compression on = new Compression(true, 2);
        Session first = socket(DEFLATE);
        Session second = socket(DEFLATE);
        assertEquals(List.of(DEFLATE), on.admit(List.of(DEFLATE)));
        on.opened(first);
        on.opened(socket()); // answered without it: takes no place
        assertEquals(List.of(DEFLATE), on.admit(List.of(DEFLATE)));
        on.opened(second);
        assertEquals(2, on.compressedSockets());
        assertEquals(List.of(), on.admit(List.of(DEFLATE)));
        on.closed(first);
        assertEquals(1, on.compressedSockets());
        assertEquals(List.of(DEFLATE), on.admit(List.of(DEFLATE)));
    }

    @Test
    void aSocketWithoutDeflateGivesNoPlaceBackWhenItCloses() {
        Compression on = new Compression(true, 1);
        on.opened(socket(DEFLATE));
        on.closed(socket());
        assertEquals(1, on.compressedSockets());
        assertEquals(List.of(), on.admit(List.of(DEFLATE)));
    }

    @Test
    void aNegativeBudgetIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new Compression(true, -1));
    }

    private static Extension extension(String name) {
        return new Extension() {
            @Override
            public String getName() {
                return name;
            }

            @Override
            public List<Parameter> getParameters() {
                return List.of();
            }

            @Override
            public String toString() {
                return name;
            }
        };
    }

    /** A socket that negotiated {@code extensions}; nothing else of it is asked. */
    private static Session socket(Extension... extensions) {
        return (Session) Proxy.newProxyInstance(Session.class.getClassLoader(), new Class<?>[] {Session.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "getNegotiatedExtensions" -> List.of(extensions);
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "equals" -> proxy == args[0];
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }
}
