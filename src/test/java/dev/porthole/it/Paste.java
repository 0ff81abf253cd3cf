package dev.porthole.it;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.function.BiFunction;

/**
 * A paste of exactly 1 MiB, the largest message a terminal takes: numbered lines of ASCII, so that a lost, doubled
 * or reordered piece changes its MD5. {@link #COMMAND} makes the shell store what it is typed, without echo, until
 * Ctrl-D, then print its MD5 and {@code END-6}.
 */
public record Paste(String text, String md5) {
    public static final String COMMAND =
            "stty -echo; cat > /tmp/paste-$$; stty echo; md5sum /tmp/paste-$$; rm /tmp/paste-$$; echo END-$((2*3))\n";
    public static final String END = "END-6";

    public static Paste oneMebibyte() {
        StringBuilder paste = new StringBuilder(1 << 20);
        for (int line = 0; paste.length() < (1 << 20); line++) {
            String text = String.format("%08d ", line) + "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJKLMNOPQRSTU\n";
            paste.append(text, 0, Math.min(text.length(), (1 << 20) - paste.length()));
        }
        paste.setCharAt(paste.length() - 1, '\n');
        byte[] bytes = paste.toString().getBytes(StandardCharsets.UTF_8);
        if (bytes.length != 1 << 20) {
            throw new IllegalStateException("the paste is " + bytes.length + " bytes");
        }
        try {
            return new Paste(paste.toString(), HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(bytes)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Types {@link #COMMAND}, the paste and Ctrl-D through {@code type} into a shell, and checks that the output read
     * through {@code await} (text awaited, how long) names the paste's MD5.
     */
    public void typeAndCheck(Keyboard type, BiFunction<String, Duration, String> await) throws IOException {
        type.type(COMMAND);
        type.type(text);
        type.type("\u0004");
        String output = await.apply(END, Duration.ofSeconds(60));
        assertTrue(output.contains(md5), "md5 " + md5 + " not in " + output.substring(Math.max(0, output.length() - 300)));
    }

    /** What types into a terminal: each test client has its own. */
    public interface Keyboard {
        void type(String text) throws IOException;
    }
}
