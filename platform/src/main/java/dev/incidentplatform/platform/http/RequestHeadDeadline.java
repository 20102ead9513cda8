package dev.incidentplatform.platform.http;

import java.lang.reflect.Field;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import jakarta.enterprise.event.ObservesAsync;
import jakarta.inject.Singleton;

import org.jboss.logging.Logger;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.concurrent.ScheduledFuture;
import io.quarkus.vertx.http.HttpServerStart;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.impl.HttpServerImpl;
import io.vertx.core.impl.VertxInternal;
import io.vertx.core.net.impl.TCPServerBase;

/**
 * Cuts off a client that has not sent the head of its first request (request line and headers) within
 * {@code platform.http.request-head-timeout}: the idle timeout alone lets a client that sends a byte every few
 * seconds hold a connection for ever (slowloris). Such a client gets 408 problem+json and the connection is closed.
 *
 * <p>Vert.x offers no setting or hook for this, so a Netty handler is put in front of each accepted connection, on
 * the channel of the HTTP server Quarkus started. It watches the raw bytes for the blank line that ends a request head
 * and steps out of the way once it has seen it; later requests on a kept-alive connection are bounded by the idle
 * timeout. Not installed on TLS servers (the bytes it would watch are encrypted there; terminate TLS in front).
 * The same place carries {@link BareRefusals}, which gives Netty's own refusals a problem+json body.
 */
@Singleton
public class RequestHeadDeadline {

    private static final Logger LOG = Logger.getLogger(RequestHeadDeadline.class);
    static final String HANDLER = "platform-request-head-deadline";

    private final Duration timeout;

    public RequestHeadDeadline(HttpLimitsConfig config) {
        this.timeout = config.requestHeadTimeout();
    }

    /** Quarkus announces a started server asynchronously only. */
    void install(@ObservesAsync HttpServerStart start, Vertx vertx) {
        if (start.options().isSsl() || timeout.isZero() || timeout.isNegative()) {
            return;
        }
        for (HttpServerImpl server : ((VertxInternal) vertx).sharedHttpServers().values()) {
            Channel channel = serverChannel(server);
            if (channel != null && channel.pipeline().get(HANDLER) == null) {
                channel.pipeline().addFirst(HANDLER, new OnAccept(timeout.toMillis()));
            }
        }
    }

    private static Channel serverChannel(TCPServerBase server) {
        try {
            Field bind = TCPServerBase.class.getDeclaredField("bindFuture");
            bind.setAccessible(true);
            Future<?> bound = (Future<?>) bind.get(server);
            return bound != null && bound.succeeded() && bound.result() instanceof Channel channel ? channel : null;
        } catch (ReflectiveOperationException | RuntimeException e) {
            LOG.warnf("No request-head deadline: the HTTP server's channel is not reachable in this Vert.x (%s)", e.toString());
            return null;
        }
    }

    /** On the server channel: gives each accepted connection its own deadline. */
    @ChannelHandler.Sharable
    static final class OnAccept extends ChannelInboundHandlerAdapter {

        private final long timeoutMillis;

        OnAccept(long timeoutMillis) {
            this.timeoutMillis = timeoutMillis;
        }

        @Override
        public void channelRead(ChannelHandlerContext context, Object message) {
            if (message instanceof Channel connection) {
                connection.pipeline().addFirst(HANDLER, new FirstHead(timeoutMillis));
                connection.pipeline().addFirst(BareRefusals.HANDLER, new BareRefusals());
            }
            context.fireChannelRead(message);
        }
    }

    /** On one connection: closes it unless the first request head ends (CR LF CR LF) before the deadline. */
    static final class FirstHead extends ChannelInboundHandlerAdapter {

        private static final byte[] END = { '\r', '\n', '\r', '\n' };
        private final long timeoutMillis;
        private ScheduledFuture<?> deadline;
        private int matched;

        FirstHead(long timeoutMillis) {
            this.timeoutMillis = timeoutMillis;
        }

        @Override
        public void handlerAdded(ChannelHandlerContext context) {
            if (context.channel().isRegistered()) {
                arm(context);
            }
        }

        @Override
        public void channelRegistered(ChannelHandlerContext context) {
            arm(context);
            context.fireChannelRegistered();
        }

        private void arm(ChannelHandlerContext context) {
            if (deadline == null) {
                deadline = context.executor().schedule(() -> expire(context), timeoutMillis, TimeUnit.MILLISECONDS);
            }
        }

        @Override
        public void channelRead(ChannelHandlerContext context, Object message) {
            if (message instanceof ByteBuf bytes && seesEndOfHead(bytes)) {
                done(context);
            }
            context.fireChannelRead(message);
        }

        /** Follows the bytes without consuming them; true once they complete CR LF CR LF. */
        boolean seesEndOfHead(ByteBuf bytes) {
            for (int i = bytes.readerIndex(); i < bytes.writerIndex(); i++) {
                byte b = bytes.getByte(i);
                matched = b == END[matched] ? matched + 1 : b == '\r' ? 1 : 0;
                if (matched == END.length) {
                    return true;
                }
            }
            return false;
        }

        private void done(ChannelHandlerContext context) {
            if (deadline != null) {
                deadline.cancel(false);
            }
            context.pipeline().remove(this);
        }

        @Override
        public void channelInactive(ChannelHandlerContext context) {
            if (deadline != null) {
                deadline.cancel(false);
            }
            context.fireChannelInactive();
        }

        private static void expire(ChannelHandlerContext context) {
            String body = "{\"type\":\"about:blank\",\"title\":\"Request Timeout\",\"status\":408,\"detail\":\"The request line"
                    + " and headers did not arrive in time; send the whole request head at once.\"}";
            byte[] payload = body.getBytes(StandardCharsets.UTF_8);
            String head = "HTTP/1.1 408 Request Timeout\r\nContent-Type: application/problem+json\r\nContent-Length: "
                    + payload.length + "\r\nConnection: close\r\n\r\n";
            ByteBuf answer = Unpooled.wrappedBuffer(head.getBytes(StandardCharsets.US_ASCII), payload);
            // Written from the first handler, so it goes to the socket as is, past Vert.x's HTTP encoder.
            context.writeAndFlush(answer).addListener(written -> context.close());
        }
    }
}
