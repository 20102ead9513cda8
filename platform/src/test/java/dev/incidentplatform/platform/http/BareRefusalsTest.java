package dev.incidentplatform.platform.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;

class BareRefusalsTest {

    @Test
    void vertxsBareRefusalGetsAProblemBody() {
        String answer = through("HTTP/1.1 400 Bad Request\r\nconnection: close\r\ncontent-length: 0\r\n\r\n");
        assertThat(answer).startsWith("HTTP/1.1 400 Bad Request\r\n").contains("Content-Type: application/problem+json")
                .contains("\"status\":400").contains("Connection: close");
        assertThat(through("HTTP/1.1 431 Request Header Fields Too Large\r\ncontent-length: 0\r\nconnection: close\r\n\r\n"))
                .contains("\"status\":431");
        assertThat(through("HTTP/1.1 414 Request-URI Too Long\r\ncontent-length: 0\r\n\r\n")).contains("\"status\":414");
    }

    @Test
    void everyOtherAnswerPassesUntouched() {
        String problem = "HTTP/1.1 404 Not Found\r\ncontent-type: application/problem+json\r\ncontent-length: 2\r\n\r\n{}";
        assertThat(through(problem)).isEqualTo(problem);
        String empty = "HTTP/1.1 204 No Content\r\nconnection: close\r\ncontent-length: 0\r\n\r\n";
        assertThat(through(empty)).isEqualTo(empty);
        String split = "HTTP/1.1 400 Bad Request\r\nconnection: close\r\n";
        assertThat(through(split)).isEqualTo(split);
        String closeOnly = "HTTP/1.1 400 Bad Request\r\nconnection: close\r\n\r\n";
        assertThat(through(closeOnly)).isEqualTo(closeOnly);
    }

    private static String through(String answer) {
        EmbeddedChannel channel = new EmbeddedChannel(new BareRefusals());
        channel.writeOutbound(Unpooled.copiedBuffer(answer, StandardCharsets.ISO_8859_1));
        ByteBuf written = channel.readOutbound();
        String text = written.toString(StandardCharsets.ISO_8859_1);
        written.release();
        return text;
    }
}
