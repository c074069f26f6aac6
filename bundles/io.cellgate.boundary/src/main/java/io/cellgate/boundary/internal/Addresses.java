package io.cellgate.boundary.internal;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * IP address literals and prefixes as nftables prints them back (IPv4 dotted, IPv6 in RFC 5952 form), so that a
 * generated rule and the same rule listed by {@code nft list} compare equal. Never touches DNS.
 */
final class Addresses {

    private static final Pattern IPV4 = Pattern.compile("(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}");
    private static final Pattern IPV6_CHARS = Pattern.compile("[0-9A-Fa-f:.]+");

    /** Orders IPv4 before IPv6, then by the address bytes. */
    static final Comparator<InetAddress> ORDER = Comparator.<InetAddress>comparingInt(a -> a.getAddress().length)
            .thenComparing(InetAddress::getAddress, Arrays::compareUnsigned);

    private Addresses() {
    }

    /** The address written as a literal, or empty when {@code text} is not one (a host name; nothing is resolved). */
    static Optional<InetAddress> literal(String text) {
        if (text == null || text.isEmpty()) {
            return Optional.empty();
        }
        String t = text.startsWith("[") && text.endsWith("]") ? text.substring(1, text.length() - 1) : text;
        boolean v4 = IPV4.matcher(t).matches();
        boolean v6 = t.contains(":") && IPV6_CHARS.matcher(t).matches();
        if (!v4 && !v6) {
            return Optional.empty();
        }
        try {
            // A literal of these characters is parsed, never looked up.
            return Optional.of(InetAddress.getByName(t));
        } catch (UnknownHostException e) {
            return Optional.empty();
        }
    }

    /** Whether the text looks like an attempt at an IP address (digits and dots, or a colon): not a host name. */
    static boolean looksNumeric(String text) {
        return text.contains(":") || text.matches("[0-9.]+");
    }

    static boolean isV6(InetAddress a) {
        return a instanceof Inet6Address;
    }

    /** The nftables selector for a destination or source address of this family: {@code ip} or {@code ip6}. */
    static String family(InetAddress a) {
        return isV6(a) ? "ip6" : "ip";
    }

    /** As nftables prints it: dotted IPv4, RFC 5952 IPv6 (lower case, longest zero run compressed). */
    static String format(InetAddress a) {
        if (a instanceof Inet4Address) {
            return a.getHostAddress();
        }
        byte[] b = a.getAddress();
        int[] words = new int[8];
        for (int i = 0; i < 8; i++) {
            words[i] = ((b[2 * i] & 0xff) << 8) | (b[2 * i + 1] & 0xff);
        }
        int bestStart = -1;
        int bestLen = 1; // RFC 5952: a single zero word is not compressed
        for (int i = 0; i < 8;) {
            if (words[i] != 0) {
                i++;
                continue;
            }
            int j = i;
            while (j < 8 && words[j] == 0) {
                j++;
            }
            if (j - i > bestLen) {
                bestStart = i;
                bestLen = j - i;
            }
            i = j;
        }
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                s.append("::");
                i += bestLen - 1;
                continue;
            }
            if (s.length() > 0 && s.charAt(s.length() - 1) != ':') {
                s.append(':');
            }
            s.append(Integer.toHexString(words[i]));
        }
        return s.toString();
    }

    /** An IPv4-mapped IPv6 address (::ffff:a.b.c.d) matches nothing in an ip6 rule on the wire: refused. */
    static boolean isMappedV4(String text) {
        return text.toLowerCase(java.util.Locale.ROOT).contains("::ffff:") && text.contains(".");
    }

    /** A network prefix {@code address/length}, host bits zero. */
    record Cidr(InetAddress network, int length) {

        String family() {
            return Addresses.family(network);
        }

        /** As nftables prints it; a full-length prefix is printed as the bare address. */
        @Override
        public String toString() {
            int max = network.getAddress().length * 8;
            return length == max ? format(network) : format(network) + "/" + length;
        }

        /**
         * Parses {@code a.b.c.d/n} or {@code v6/n} (a bare address is a full-length prefix).
         *
         * @throws IllegalArgumentException naming what is wrong, with the corrected prefix when host bits are set
         */
        static Cidr parse(String text) {
            String t = text.trim();
            int slash = t.indexOf('/');
            String addr = slash < 0 ? t : t.substring(0, slash);
            if (isMappedV4(addr)) {
                throw new IllegalArgumentException("'" + text + "' is an IPv4-mapped IPv6 prefix: write the IPv4 prefix");
            }
            InetAddress a = literal(addr).orElseThrow(() -> new IllegalArgumentException(
                    "'" + text + "' is not a network prefix such as 10.1.0.0/16 or fd00:1::/64"));
            int max = a.getAddress().length * 8;
            int len = max;
            if (slash >= 0) {
                String l = t.substring(slash + 1);
                if (!l.matches("\\d{1,3}") || Integer.parseInt(l) > max) {
                    throw new IllegalArgumentException("'" + text + "': the prefix length must be 0.." + max);
                }
                len = Integer.parseInt(l);
            }
            byte[] b = a.getAddress();
            byte[] masked = b.clone();
            for (int bit = len; bit < max; bit++) {
                masked[bit / 8] &= (byte) ~(0x80 >>> (bit % 8));
            }
            try {
                InetAddress net = InetAddress.getByAddress(masked);
                if (!Arrays.equals(b, masked)) {
                    throw new IllegalArgumentException("'" + text + "' has host bits set: did you mean "
                            + format(net) + "/" + len + "?");
                }
                return new Cidr(net, len);
            } catch (UnknownHostException e) {
                throw new IllegalStateException(e); // 4 or 16 bytes: cannot happen
            }
        }
    }
}
