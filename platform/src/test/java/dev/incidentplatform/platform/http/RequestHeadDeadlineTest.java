package dev.incidentplatform.platform.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import io.netty.buffer.Unpooled;

class RequestHeadDeadlineTest {

    @Test
    void theEndOfTheHeadIsSeenAcrossChunksAndNotBefore() {
        RequestHeadDeadline.FirstHead head = new RequestHeadDeadline.FirstHead(1000);
        assertThat(head.seesEndOfHead(bytes("GET / HTTP/1.1\r\nHost: a\r\n"))).isFalse();
        assertThat(head.seesEndOfHead(bytes("X-A: \r\r\n"))).isFalse();
        assertThat(head.seesEndOfHead(bytes("X-B: b\r\n\r"))).isFalse();
        assertThat(head.seesEndOfHead(bytes("\n{\"body\":1}"))).isTrue();
    }

    @Test
    void aLoneLineFeedDoesNotEndTheHead() {
        RequestHeadDeadline.FirstHead head = new RequestHeadDeadline.FirstHead(1000);
        assertThat(head.seesEndOfHead(bytes("GET / HTTP/1.1\n\nHost: a\r\n"))).isFalse();
    }

    private static io.netty.buffer.ByteBuf bytes(String text) {
        return Unpooled.copiedBuffer(text, StandardCharsets.US_ASCII);
    }
}
