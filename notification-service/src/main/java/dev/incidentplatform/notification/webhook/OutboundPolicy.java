package dev.incidentplatform.notification.webhook;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Where webhook requests may go: public addresses only, unless the allow-list ({@code notification.webhooks.allow-hosts})
 * names the host or a range that holds every address it resolves to. Non-public means loopback, link-local,
 * private and unique-local, carrier-grade NAT, "this network", unspecified, multicast, broadcast and reserved ranges,
 * documentation and benchmarking ranges, and IPv6 forms that carry an IPv4 address (mapped, compatible, NAT64, 6to4,
 * Teredo) when that address is not public. Plain http is allowed only for an allow-listed host or range.
 */
public final class OutboundPolicy {

    private static final Pattern IPV4_LITERAL = Pattern.compile("[0-9.]+");

    /** Where a URL leads: the addresses its host resolved to, all of them permitted. */
    public record Target(URI uri, String host, List<InetAddress> addresses) {
    }

    /** The URL may not be called; {@code reason} says why in words a client can act on. */
    public static final class Refused extends Exception {
        private static final long serialVersionUID = 1L;
        private final boolean unresolved;

        Refused(String reason, boolean unresolved) {
            super(reason);
            this.unresolved = unresolved;
        }

        /** True when the host did not resolve (which may pass); false for a refusal by the rule. */
        public boolean unresolved() {
            return unresolved;
        }
    }

    /** Resolves host names; the JDK's resolver in production. */
    @FunctionalInterface
    public interface Resolver {
        InetAddress[] resolve(String host) throws UnknownHostException;
    }

    private record Range(byte[] network, int prefix) {
        boolean contains(byte[] address) {
            if (address.length != network.length) {
                return false;
            }
            return matches(address, network, prefix);
        }
    }

    private final Set<String> hosts;
    private final List<Range> ranges;
    private final Resolver resolver;

    /**
     * @param allowed host names (exactly, in any case), IP addresses and CIDR ranges ({@code 127.0.0.0/8},
     *         {@code ::1/128}) that may be called although they are not public, and over plain http
     */
    public OutboundPolicy(List<String> allowed, Resolver resolver) {
        List<String> names = new ArrayList<>();
        List<Range> cidrs = new ArrayList<>();
        for (String entry : allowed) {
            String value = entry.strip();
            if (value.isEmpty()) {
                continue;
            }
            if (value.contains("/") || value.contains(":") || IPV4_LITERAL.matcher(value).matches()) {
                cidrs.add(range(value));
            } else {
                names.add(value.toLowerCase(Locale.ROOT));
            }
        }
        this.hosts = Set.copyOf(names);
        this.ranges = List.copyOf(cidrs);
        this.resolver = resolver;
    }

    /**
     * Resolves the URL's host and checks every address it has (an attacker's name may have a public and a private
     * one); a refusal names the first address that is not permitted.
     */
    public Target check(URI uri) throws Refused {
        String host = host(uri);
        boolean namedHost = hosts.contains(host.toLowerCase(Locale.ROOT));
        InetAddress[] resolved;
        try {
            resolved = resolver.resolve(host);
        } catch (UnknownHostException e) {
            throw new Refused("the host " + host + " does not resolve", true);
        }
        if (resolved.length == 0) {
            throw new Refused("the host " + host + " does not resolve", true);
        }
        boolean allInAllowedRanges = true;
        for (InetAddress address : resolved) {
            boolean inRange = inAllowedRange(address);
            allInAllowedRanges &= inRange;
            String kind = nonPublicKind(address);
            if (kind != null && !inRange && !namedHost) {
                throw new Refused(describe(host, address) + " is " + kind + "; webhooks are sent only to public"
                        + " addresses (unless notification.webhooks.allow-hosts permits it)", false);
            }
        }
        if ("http".equalsIgnoreCase(uri.getScheme()) && !namedHost && !allInAllowedRanges) {
            throw new Refused("must use https: plain http is allowed only for hosts that notification.webhooks.allow-hosts"
                    + " permits", false);
        }
        return new Target(uri, host, List.of(resolved));
    }

    /** The URI's host as a resolver takes it (an IPv6 literal without its brackets). */
    static String host(URI uri) {
        String host = uri.getHost();
        return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    }

    private boolean inAllowedRange(InetAddress address) {
        byte[] bytes = address.getAddress();
        for (Range range : ranges) {
            if (range.contains(bytes)) {
                return true;
            }
        }
        return false;
    }

    private static String describe(String host, InetAddress address) {
        String literal = address.getHostAddress();
        return literal.equalsIgnoreCase(host) ? literal : host + " resolves to " + literal + ", which";
    }

    /** What kind of non-public address this is ("a loopback address", …), or null for a public one. */
    public static String nonPublicKind(InetAddress address) {
        byte[] b = address.getAddress();
        if (address instanceof Inet4Address) {
            return ipv4Kind(b);
        }
        if (address instanceof Inet6Address) {
            return ipv6Kind(b);
        }
        return "not an IP address";
    }

    private static String ipv4Kind(byte[] b) {
        int first = b[0] & 0xFF;
        int second = b[1] & 0xFF;
        if (first == 0) {
            return Arrays.equals(b, new byte[4]) ? "the unspecified address" : "in 0.0.0.0/8 (\"this network\")";
        }
        if (first == 127) {
            return "a loopback address";
        }
        if (first == 10 || (first == 172 && (second & 0xF0) == 16) || (first == 192 && second == 168)) {
            return "a private address";
        }
        if (first == 169 && second == 254) {
            return "a link-local address";
        }
        if (first == 100 && (second & 0xC0) == 64) {
            return "a shared (carrier-grade NAT) address";
        }
        if (first >= 224 && first <= 239) {
            return "a multicast address";
        }
        if (first >= 240) {
            return first == 255 && Arrays.equals(b, new byte[] { -1, -1, -1, -1 }) ? "the broadcast address"
                    : "a reserved address";
        }
        int third = b[2] & 0xFF;
        if (first == 192 && second == 0 && third == 0) {
            return "an IETF protocol address";
        }
        if ((first == 192 && second == 0 && third == 2) || (first == 198 && second == 51 && third == 100)
                || (first == 203 && second == 0 && third == 113)) {
            return "a documentation address";
        }
        if (first == 198 && (second & 0xFE) == 18) {
            return "a benchmarking address";
        }
        return null;
    }

    private static String ipv6Kind(byte[] b) {
        if (Arrays.equals(b, new byte[16])) {
            return "the unspecified address";
        }
        byte[] loopback = new byte[16];
        loopback[15] = 1;
        if (Arrays.equals(b, loopback)) {
            return "a loopback address";
        }
        int first = b[0] & 0xFF;
        int second = b[1] & 0xFF;
        if (first == 0xFF) {
            return "a multicast address";
        }
        if (first == 0xFE && (second & 0xC0) == 0x80) {
            return "a link-local address";
        }
        if (first == 0xFE && (second & 0xC0) == 0xC0) {
            return "a site-local address";
        }
        if ((first & 0xFE) == 0xFC) {
            return "a unique local (private) address";
        }
        if (matches(b, new byte[] { 0x20, 0x01, 0x0D, (byte) 0xB8 }, 32)) {
            return "a documentation address";
        }
        if (matches(b, new byte[] { 0x01, 0x00, 0, 0, 0, 0, 0, 0 }, 64)) {
            return "a discard-only address";
        }
        if (matches(b, new byte[] { 0x20, 0x01, 0, 0 }, 32)) {
            // Teredo hides the IPv4 address it reaches; nothing says it is public.
            return "a Teredo tunnel address";
        }
        byte[] embedded = null;
        String form = null;
        if (matches(b, new byte[] { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, -1, -1 }, 96)) {
            embedded = Arrays.copyOfRange(b, 12, 16);
            form = "an IPv4-mapped form of ";
        } else if (matches(b, new byte[12], 96)) {
            embedded = Arrays.copyOfRange(b, 12, 16);
            form = "an IPv4-compatible form of ";
        } else if (matches(b, new byte[] { 0, 0x64, (byte) 0xFF, (byte) 0x9B, 0, 0, 0, 0, 0, 0, 0, 0 }, 96)) {
            embedded = Arrays.copyOfRange(b, 12, 16);
            form = "a NAT64 form of ";
        } else if (first == 0x20 && second == 0x02) {
            embedded = Arrays.copyOfRange(b, 2, 6);
            form = "a 6to4 form of ";
        }
        if (embedded != null) {
            String kind = ipv4Kind(embedded);
            return kind == null ? null : form + kind;
        }
        return null;
    }

    private static boolean matches(byte[] address, byte[] prefixBytes, int prefix) {
        for (int bit = 0; bit < prefix; bit++) {
            int index = bit / 8;
            int mask = 0x80 >>> (bit % 8);
            int expected = index < prefixBytes.length ? prefixBytes[index] & mask : 0;
            if ((address[index] & mask) != expected) {
                return false;
            }
        }
        return true;
    }

    private static Range range(String entry) {
        int slash = entry.indexOf('/');
        String literal = slash < 0 ? entry : entry.substring(0, slash);
        byte[] network;
        try {
            network = literalAddress(literal).getAddress();
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("notification.webhooks.allow-hosts: '" + entry + "' is neither a host name"
                    + " nor an IP address or CIDR range", e);
        }
        int max = network.length * 8;
        int prefix;
        try {
            prefix = slash < 0 ? max : Integer.parseInt(entry.substring(slash + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("notification.webhooks.allow-hosts: '" + entry + "' has no prefix length"
                    + " after '/'", e);
        }
        if (prefix < 0 || prefix > max) {
            throw new IllegalArgumentException("notification.webhooks.allow-hosts: the prefix of '" + entry
                    + "' must be 0 to " + max);
        }
        return new Range(network, prefix);
    }

    /** An IP literal read without a DNS lookup (anything else is refused). */
    private static InetAddress literalAddress(String literal) throws UnknownHostException {
        String bare = literal.startsWith("[") && literal.endsWith("]") ? literal.substring(1, literal.length() - 1) : literal;
        boolean ipv4 = bare.matches("([0-9]{1,3}\\.){3}[0-9]{1,3}");
        boolean ipv6 = bare.contains(":") && bare.matches("[0-9A-Fa-f:.]+");
        if (!ipv4 && !ipv6) {
            throw new UnknownHostException(literal);
        }
        return InetAddress.getByName(bare);
    }
}
