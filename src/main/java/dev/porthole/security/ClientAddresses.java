package dev.porthole.security;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * What a client address counts as, for limits kept per address: one IPv4 address, or one IPv6 /64, which is what a
 * network hands one subscriber (anyone can change the other 64 bits at will). Every spelling of an address counts as
 * the same one ({@code 2001:DB8:0::1}, {@code 2001:db8::1}, {@code ::ffff:192.0.2.1}).
 */
public final class ClientAddresses {
    /** Only literals are parsed, so that no name is ever looked up. */
    private static final Pattern IPV4 = Pattern.compile("[0-9]{1,3}(\\.[0-9]{1,3}){3}");
    private static final Pattern IPV6 = Pattern.compile("\\[?[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*(%[^\\]]*)?]?");

    private ClientAddresses() {
    }

    /** The key under which {@code address} (as {@code getRemoteAddr} gives it) is counted. */
    public static String key(String address) {
        String trimmed = address.trim();
        if (!IPV4.matcher(trimmed).matches() && !IPV6.matcher(trimmed).matches()) {
            return trimmed.toLowerCase(Locale.ROOT);
        }
        String literal = trimmed.replaceAll("^\\[|]$", "").replaceAll("%.*$", "");
        InetAddress parsed;
        try {
            parsed = InetAddress.getByName(literal);
        } catch (UnknownHostException notAnAddress) {
            return trimmed.toLowerCase(Locale.ROOT);
        }
        if (parsed instanceof Inet6Address) {
            byte[] network = Arrays.copyOf(parsed.getAddress(), 16);
            Arrays.fill(network, 8, 16, (byte) 0);
            try {
                return InetAddress.getByAddress(network).getHostAddress() + "/64";
            } catch (UnknownHostException impossible) {
                throw new IllegalStateException(impossible);
            }
        }
        return ((Inet4Address) parsed).getHostAddress();
    }
}
