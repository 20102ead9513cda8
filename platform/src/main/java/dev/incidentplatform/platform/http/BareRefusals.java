package dev.incidentplatform.platform.http;

import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;

import dev.incidentplatform.platform.problem.Problem;

/**
 * Gives a problem+json body to the refusals Vert.x sends by itself, before any handler of the application can answer:
 * a request line Netty cannot decode or that breaks its limits (a raw '{', a '%' without two hex digits, a URL or
 * headers over {@code quarkus.http.limits.max-initial-line-length} or {@code max-header-size}, an unreadable
 * Content-Length). Vert.x answers those with a status, {@code content-length: 0} (and mostly {@code connection: close})
 * and nothing else; this handler, the
 * last on the way to the socket, recognises exactly that answer and writes the same status with a problem instead.
 * Nothing else is touched: every answer of the services to a 4xx already has a body.
 */
final class BareRefusals extends ChannelOutboundHandlerAdapter {

    static final String HANDLER = "platform-bare-refusals";

    /** A whole answer with no body: status line, then only content-length: 0 (and connection: close), in any order. */
    private static final Pattern BARE = Pattern.compile("HTTP/1\\.[01] (4\\d\\d) [^\\r\\n]*\\r\\n(?i:content-length: 0\\r\\n"
            + "|content-length: 0\\r\\nconnection: close\\r\\n|connection: close\\r\\ncontent-length: 0\\r\\n)\\r\\n");
    private static final int LONGEST_BARE = 120;

    @Override
    public void write(ChannelHandlerContext context, Object message, ChannelPromise promise) {
        if (message instanceof ByteBuf bytes && bytes.readableBytes() <= LONGEST_BARE && bytes.readableBytes() > 16) {
            String text = bytes.toString(bytes.readerIndex(), bytes.readableBytes(), StandardCharsets.ISO_8859_1);
            Matcher bare = BARE.matcher(text);
            if (bare.matches()) {
                bytes.release();
                context.write(problem(Integer.parseInt(bare.group(1))), promise);
                return;
            }
        }
        context.write(message, promise);
    }

    static ByteBuf problem(int status) {
        String detail = switch (status) {
            case 414 -> "The request line is longer than this service reads.";
            case 431 -> "The request headers are larger than this service reads.";
            default -> "The request could not be read as HTTP: the request line or a header is malformed (a character"
                    + " that must be percent-encoded, a '%' without two hex digits, a Content-Length that is not a number).";
        };
        String body = "{\"type\":\"about:blank\",\"title\":\"" + Problem.title(status) + "\",\"status\":" + status
                + ",\"detail\":\"" + detail + "\"}";
        byte[] payload = body.getBytes(StandardCharsets.UTF_8);
        String head = "HTTP/1.1 " + status + " " + Problem.title(status) + "\r\nContent-Type: " + Problem.MEDIA_TYPE
                + "\r\nContent-Length: " + payload.length + "\r\nConnection: close\r\n\r\n";
        return Unpooled.wrappedBuffer(head.getBytes(StandardCharsets.US_ASCII), payload);
    }
}
