package dev.porthole.edge;

/**
 * Joins the parts of one fragmented text message (the agent sends big ones in ~4 KiB continuation frames) up to a
 * cap, so that no buffer is allocated for the largest message in advance. Used by one reader thread at a time.
 */
final class MessageAssembler {
    /** The message grew past the cap. */
    static final class TooBig extends Exception {
        TooBig(long limit) {
            super("message too big: the limit is " + limit + " bytes");
        }
    }

    private final long maxChars;
    private StringBuilder parts;

    MessageAssembler(long maxChars) {
        this.maxChars = maxChars;
    }

    /** Adds a part; answers the whole message when {@code last}, otherwise null. */
    String add(String part, boolean last) throws TooBig {
        if (parts == null) {
            if (last) {
                if (part.length() > maxChars) {
                    throw new TooBig(maxChars);
                }
                return part;
            }
            parts = new StringBuilder(Math.min(part.length() * 4, 1 << 20));
        }
        if ((long) parts.length() + part.length() > maxChars) {
            parts = null;
            throw new TooBig(maxChars);
        }
        parts.append(part);
        if (!last) {
            return null;
        }
        String whole = parts.toString();
        parts = null;
        return whole;
    }
}
