package dev.incidentplatform.platform.http;

import java.io.IOException;
import java.io.PushbackInputStream;

import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.ext.Provider;
import jakarta.ws.rs.ext.ReaderInterceptor;
import jakarta.ws.rs.ext.ReaderInterceptorContext;

import dev.incidentplatform.platform.problem.ProblemException;

/**
 * JSON bodies are UTF-8 without a byte order mark (RFC 8259 §8.1: senders must not add one). Jackson would skip it
 * silently; here it is refused, like every other byte that is not JSON.
 */
@Provider
public class JsonBodies implements ReaderInterceptor {

    @Override
    public Object aroundReadFrom(ReaderInterceptorContext context) throws IOException {
        MediaType type = context.getMediaType();
        if (type != null && type.getSubtype() != null && (type.getSubtype().equals("json") || type.getSubtype().endsWith("+json"))) {
            PushbackInputStream body = new PushbackInputStream(context.getInputStream(), 3);
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
}
