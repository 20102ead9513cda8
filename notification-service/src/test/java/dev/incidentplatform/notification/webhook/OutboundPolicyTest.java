package dev.incidentplatform.notification.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Which addresses a webhook may reach, with names resolved by a fixed table (no DNS). */
class OutboundPolicyTest {

    private static final Map<String, List<String>> DNS = Map.of(
            "hooks.example.com", List.of("93.184.215.14"),
            "rebound.example.com", List.of("93.184.215.14", "10.1.2.3"),
            "metadata.example.com", List.of("169.254.169.254"),
            "v6.example.com", List.of("2606:2800:21f:cb07:6820:80da:af6b:8b2c"),
            "internal.example.com", List.of("10.20.30.40"));

    private static InetAddress[] resolve(String host) throws UnknownHostException {
        List<String> addresses = DNS.get(host);
        if (addresses == null) {
            if (host.matches("[0-9.]+") || host.contains(":")) {
                return new InetAddress[] { InetAddress.getByName(host) };
            }
            throw new UnknownHostException(host);
        }
        InetAddress[] resolved = new InetAddress[addresses.size()];
        for (int i = 0; i < resolved.length; i++) {
            resolved[i] = InetAddress.getByAddress(host, InetAddress.getByName(addresses.get(i)).getAddress());
        }
        return resolved;
    }

    private static final OutboundPolicy PUBLIC_ONLY = new OutboundPolicy(List.of(), OutboundPolicyTest::resolve);

    @Test
    void aPublicHttpsHostIsAllowed() throws Exception {
        assertThat(PUBLIC_ONLY.check(URI.create("https://hooks.example.com/x")).addresses())
                .extracting(InetAddress::getHostAddress).containsExactly("93.184.215.14");
        assertThat(PUBLIC_ONLY.check(URI.create("https://v6.example.com/x")).addresses()).hasSize(1);
        assertThat(PUBLIC_ONLY.check(URI.create("https://[2606:2800:21f:cb07:6820:80da:af6b:8b2c]/x")).addresses()).hasSize(1);
    }

    @ParameterizedTest
    @ValueSource(strings = { "https://127.0.0.1/", "https://127.255.1.2/", "https://10.0.0.1/", "https://172.16.0.1/",
            "https://172.31.255.255/", "https://192.168.1.1/", "https://169.254.169.254/latest/meta-data/",
            "https://100.64.0.1/", "https://100.127.255.255/", "https://0.0.0.0/", "https://0.1.2.3/", "https://224.0.0.1/",
            "https://239.255.255.250/", "https://255.255.255.255/", "https://240.0.0.1/", "https://192.0.2.10/",
            "https://198.18.0.1/", "https://[::1]/", "https://[::]/", "https://[fe80::1]/", "https://[febf::1]/",
            "https://[fc00::1]/", "https://[fd12:3456::1]/", "https://[ff02::1]/", "https://[::ffff:10.0.0.1]/",
            "https://[::ffff:127.0.0.1]/", "https://[::ffff:169.254.169.254]/", "https://[::10.0.0.1]/",
            "https://[64:ff9b::a00:1]/", "https://[2002:a00:1::1]/", "https://[2001:db8::1]/", "https://[2001::1]/",
            "https://2130706433/", "https://metadata.example.com/", "https://internal.example.com/" })
    void everyNonPublicAddressIsRefused(String url) {
        assertThatThrownBy(() -> PUBLIC_ONLY.check(URI.create(url))).isInstanceOf(OutboundPolicy.Refused.class)
                .hasMessageContaining("webhooks are sent only to public addresses")
                .satisfies(e -> assertThat(((OutboundPolicy.Refused) e).unresolved()).isFalse());
    }

    @Test
    void aNameWithOnePrivateAddressAmongPublicOnesIsRefusedAndTheRefusalNamesIt() {
        assertThatThrownBy(() -> PUBLIC_ONLY.check(URI.create("https://rebound.example.com/")))
                .hasMessageStartingWith("rebound.example.com resolves to 10.1.2.3, which is a private address");
    }

    @Test
    void mappedAndPublicEmbeddedAddressesAreJudgedByTheirIpv4Address() throws Exception {
        assertThat(PUBLIC_ONLY.check(URI.create("https://[::ffff:93.184.215.14]/")).addresses()).hasSize(1);
        assertThat(PUBLIC_ONLY.check(URI.create("https://[2002:5db8:d70e::1]/")).addresses()).hasSize(1);
        assertThat(OutboundPolicy.nonPublicKind(InetAddress.getByName("64:ff9b::a9fe:a9fe"))).isEqualTo(
                "a NAT64 form of a link-local address");
    }

    @Test
    void plainHttpNeedsTheAllowList() throws Exception {
        assertThatThrownBy(() -> PUBLIC_ONLY.check(URI.create("http://hooks.example.com/")))
                .hasMessageStartingWith("must use https");
        OutboundPolicy named = new OutboundPolicy(List.of("Hooks.Example.com"), OutboundPolicyTest::resolve);
        assertThat(named.check(URI.create("http://hooks.example.com/")).host()).isEqualTo("hooks.example.com");
    }

    @Test
    void anUnresolvableHostIsRefusedAsUnresolved() {
        assertThatThrownBy(() -> PUBLIC_ONLY.check(URI.create("https://nowhere.example.com/")))
                .isInstanceOf(OutboundPolicy.Refused.class).hasMessage("the host nowhere.example.com does not resolve")
                .satisfies(e -> assertThat(((OutboundPolicy.Refused) e).unresolved()).isTrue());
    }

    @Test
    void theAllowListPermitsRangesAddressesAndNames() throws Exception {
        OutboundPolicy allowing = new OutboundPolicy(List.of("127.0.0.0/8", " ::1 ", "10.20.0.0/16", "internal.example.com",
                ""), OutboundPolicyTest::resolve);
        assertThat(allowing.check(URI.create("http://127.0.0.1:8080/")).addresses()).hasSize(1);
        assertThat(allowing.check(URI.create("http://[::1]:8080/")).addresses()).hasSize(1);
        assertThat(allowing.check(URI.create("http://[::ffff:127.0.0.1]/")).addresses()).hasSize(1);
        assertThat(allowing.check(URI.create("http://10.20.30.40/")).addresses()).hasSize(1);
        assertThat(allowing.check(URI.create("http://internal.example.com/")).addresses()).hasSize(1);
        assertThatThrownBy(() -> allowing.check(URI.create("https://10.21.0.1/"))).hasMessageContaining("private address");
        assertThatThrownBy(() -> allowing.check(URI.create("https://[::2]/"))).hasMessageContaining("IPv4-compatible");
        assertThatThrownBy(() -> allowing.check(URI.create("https://169.254.169.254/"))).hasMessageContaining("link-local");
        // A public host over plain http is not made acceptable by a range that does not hold it.
        assertThatThrownBy(() -> allowing.check(URI.create("http://hooks.example.com/"))).hasMessageStartingWith("must use https");
    }

    @Test
    void aBadAllowListEntryStopsTheStart() {
        assertThatThrownBy(() -> new OutboundPolicy(List.of("10.0.0.0/33"), OutboundPolicyTest::resolve))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("0 to 32");
        assertThatThrownBy(() -> new OutboundPolicy(List.of("10.0.0.0/x"), OutboundPolicyTest::resolve))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new OutboundPolicy(List.of("1.2.3"), OutboundPolicyTest::resolve))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
