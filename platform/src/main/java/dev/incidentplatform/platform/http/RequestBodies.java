package dev.incidentplatform.platform.http;

import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

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
 * {@link HttpLimits} to check before reading (413 problem+json); JSON bodies are well-formed UTF-8 without a byte order
 * mark (RFC 8259 §8.1; Jackson would skip a BOM silently and read UTF-16 too).
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
        if (type != null && type.getSubtype() != null && (type.getSubtype().equals("json") || type.getSubtype().endsWith("+json"))) {
            // JSON bodies are small (their limit bounds this); reading one whole lets its encoding be judged first.
            byte[] body = bounded.readAllBytes();
            checkUtf8Json(body);
            context.setInputStream(new ByteArrayInputStream(body));
        } else {
            context.setInputStream(bounded);
        }
        return context.proceed();
    }

    /**
     * RFC 8259 §8.1: JSON exchanged between systems is UTF-8, without a byte order mark. Jackson would also detect and
     * read UTF-16 and UTF-32 (which show up here as NUL bytes) and let overlong UTF-8 sequences through.
     */
    static void checkUtf8Json(byte[] body) {
        if (body.length >= 3 && (body[0] & 0xFF) == 0xEF && (body[1] & 0xFF) == 0xBB && (body[2] & 0xFF) == 0xBF) {
            throw ProblemException.field("body", "starts with a byte order mark; send UTF-8 JSON without one");
        }
        for (byte b : body) {
            if (b == 0) {
                throw ProblemException.field("body", "is not UTF-8 JSON (it has NUL bytes; UTF-16 and UTF-32 are not accepted)");
            }
        }
        try {
            StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(body));
        } catch (CharacterCodingException e) {
            throw ProblemException.field("body", "is not well-formed UTF-8; send the JSON encoded as UTF-8");
        }
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
