package dev.porthole.edge;

/**
 * Joins the parts of one fragmented text message (the agent sends big ones in ~4 KiB continuation frames) up to a
 * cap in UTF-8 bytes, as the message came over the wire, so that no buffer is allocated for the largest message in
 * advance and no message grows past the cap, whether it came whole or in parts. Used by one reader thread at a time.
 */
final class MessageAssembler {
    /** The message grew past the cap. */
    static final class TooBig extends Exception {
        TooBig(long limit) {
            super("message too big: the limit is " + limit + " bytes");
        }
    }

    private final long maxBytes;
    private StringBuilder parts;
    private long bytes;

    MessageAssembler(long maxBytes) {
        this.maxBytes = maxBytes;
    }

    /** Adds a part; answers the whole message when {@code last}, otherwise null. */
    String add(String part, boolean last) throws TooBig {
        bytes += utf8Length(part);
        if (bytes > maxBytes) {
            parts = null;
            bytes = 0;
            throw new TooBig(maxBytes);
        }
        if (parts == null) {
            if (last) {
                bytes = 0;
                return part;
            }
            parts = new StringBuilder((int) Math.min(Math.min(part.length() * 4L, 1 << 20), maxBytes));
        }
        parts.append(part);
        if (!last) {
            return null;
        }
        String whole = parts.toString();
        parts = null;
        bytes = 0;
        return whole;
    }

    /** The length of {@code text} in UTF-8; a lone surrogate counts as the three bytes of its replacement. */
    static long utf8Length(CharSequence text) {
        long n = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x80) {
                n++;
            } else if (c < 0x800) {
                n += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                n += 4;
                i++;
            } else {
                n += 3;
            }
        }
        return n;
    }
}
