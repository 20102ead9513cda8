package dev.incidentplatform.platform.http;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PushbackInputStream;

import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.ext.Provider;
import jakarta.ws.rs.ext.ReaderInterceptor;
import jakarta.ws.rs.ext.ReaderInterceptorContext;

import dev.incidentplatform.platform.problem.ProblemException;
import io.vertx.core.http.HttpServerRequest;

/**
 * Every body is held to its path's limit while it is read, also when it comes chunked, without a Content-Length for
 * {@link HttpLimits} to check before reading (413 problem+json); JSON bodies are UTF-8 without a byte order mark
 * (RFC 8259 §8.1: senders must not add one; Jackson would skip it silently).
 */
@Provider
public class RequestBodies implements ReaderInterceptor {

    // Looked up when a body is read: providers are made at build time, before configuration exists.
    private final Instance<HttpLimits> limits;
    private final HttpServerRequest request;

    @Inject
    public RequestBodies(Instance<HttpLimits> limits, HttpServerRequest request) {
        this.limits = limits;
        this.request = request;
    }

    @Override
    public Object aroundReadFrom(ReaderInterceptorContext context) throws IOException {
        MediaType type = context.getMediaType();
        InputStream bounded = new Bounded(context.getInputStream(), limits.get().bodyLimit(request.path()));
        context.setInputStream(bounded);
        if (type != null && type.getSubtype() != null && (type.getSubtype().equals("json") || type.getSubtype().endsWith("+json"))) {
            PushbackInputStream body = new PushbackInputStream(bounded, 3);
            byte[] start = new byte[3];
            int read = body.readNBytes(start, 0, 3);
            if (read == 3 && (start[0] & 0xFF) == 0xEF && (start[1] & 0xFF) == 0xBB && (start[2] & 0xFF) == 0xBF) {
                throw ProblemException.field("body", "starts with a byte order mark; send UTF-8 JSON without one");
            }
            if (read > 0) {
                body.unread(start, 0, read);
            }
            context.setInputStream(body);
        }
        return context.proceed();
    }

    /** Refuses (413) a body that grows past the limit while it is read. */
    private static final class Bounded extends FilterInputStream {

        private final long limit;
        private long count;

        Bounded(InputStream in, long limit) {
            super(in);
            this.limit = limit;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                counted(1);
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = super.read(buffer, offset, length);
            if (n > 0) {
                counted(n);
            }
            return n;
        }

        private void counted(int n) {
            count += n;
            if (count > limit) {
                throw new ProblemException(413, "The body has more than " + limit + " bytes; this endpoint accepts at most "
                        + limit + " bytes.");
            }
        }
    }
}
