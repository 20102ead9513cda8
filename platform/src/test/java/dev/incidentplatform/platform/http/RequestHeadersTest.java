package dev.incidentplatform.platform.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

import dev.incidentplatform.platform.problem.Instances;
import dev.incidentplatform.platform.problem.ProblemException;

class RequestHeadersTest {

    @Test
    void idempotencyKeysAreVisibleAscii() {
        assertThat(RequestHeaders.idempotencyKey(null)).isNull();
        assertThat(RequestHeaders.idempotencyKey("a".repeat(255))).hasSize(255);
        for (String bad : new String[] { "", " ", "a b", "a".repeat(256), "é", "a\tb" }) {
            assertThatThrownBy(() -> RequestHeaders.idempotencyKey(bad)).isInstanceOf(ProblemException.class);
        }
    }

    @Test
    void traceparentFollowsW3cTraceContext() {
        String valid = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
        assertThat(RequestHeaders.traceparent(valid)).isEqualTo(valid);
        assertThat(RequestHeaders.traceparent("01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-extra")).isNotNull();
        for (String bad : new String[] { "00-00000000000000000000000000000000-00f067aa0ba902b7-01",
                "00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01", "00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01",
                "ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-x",
                "garbage", "" }) {
            assertThat(RequestHeaders.traceparent(bad)).as(bad).isNull();
        }
    }

    @Test
    void pathsDecodeStrictly() {
        assertThat(RequestGuards.decode("path", "/api/a%20b", false)).isEqualTo("/api/a b");
        assertThat(RequestGuards.decode("q", "a+b", true)).isEqualTo("a b");
        for (String bad : new String[] { "/a%", "/a%zz", "/a%ff", "/a{b}", "/a\"b", "/é", "/a b", "/%ED%A0%80" }) {
            assertThatThrownBy(() -> RequestGuards.decode("path", bad, false)).as(bad).isInstanceOf(ProblemException.class);
        }
    }

    @Test
    void instancesAreUriReferencesWhateverWasSent() {
        assertThat(Instances.of("/api/incidents/%00")).isEqualTo("/api/incidents/%00");
        assertThat(Instances.of("/api/a{b} c")).isEqualTo("/api/a%7Bb%7D%20c");
        assertThat(Instances.of("/" + "a".repeat(2000))).hasSizeLessThan(600).endsWith("...");
    }
}
