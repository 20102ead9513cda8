package dev.incidentplatform.notification.mail;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import javax.net.ssl.SSLSocketFactory;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;

import io.smallrye.health.api.HealthGroup;

/**
 * Whether the SMTP server answers, in the health group {@code smtp} ({@code /q/health/group/smtp}), never in readiness:
 * without SMTP the service still takes events and keeps every notice pending until the server is back, so taking it
 * out of the load balancer would only stop its REST API. UP means a TCP connection (TLS if
 * {@code quarkus.mailer.tls}) was opened and the server greeted with 220 within {@value #TIMEOUT_SECONDS} seconds; a
 * server that accepts and never answers is DOWN, as it is for the senders.
 */
@HealthGroup(SmtpHealthCheck.GROUP)
@ApplicationScoped
public class SmtpHealthCheck implements HealthCheck {

    public static final String GROUP = "smtp";
    static final int TIMEOUT_SECONDS = 2;
    private static final int TIMEOUT_MILLIS = (int) Duration.ofSeconds(TIMEOUT_SECONDS).toMillis();

    private final String host;
    private final int port;
    private final boolean tls;
    private final boolean mock;

    public SmtpHealthCheck(Config config) {
        // The server the senders send to, read as they read it.
        MailerTransport.SmtpServer server = MailerTransport.SmtpServer.of(config, null);
        this.tls = server.tls();
        this.host = server.host();
        this.port = server.port();
        this.mock = config.getOptionalValue("quarkus.mailer.mock", Boolean.class).orElse(false);
    }

    @Override
    public HealthCheckResponse call() {
        var response = HealthCheckResponse.named("SMTP").withData("server", host + ":" + port);
        if (mock) {
            return response.up().withData("mock", true).build();
        }
        try (Socket socket = tls ? SSLSocketFactory.getDefault().createSocket() : new Socket()) {
            socket.connect(new InetSocketAddress(host, port), TIMEOUT_MILLIS);
            socket.setSoTimeout(TIMEOUT_MILLIS);
            String greeting = reply(socket.getInputStream());
            if (!greeting.startsWith("220")) {
                return response.down().withData("error", "the server greeted with '" + abbreviate(greeting) + "'").build();
            }
            OutputStream out = socket.getOutputStream();
            out.write("QUIT\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            return response.up().build();
        } catch (IOException e) {
            return response.down().withData("error", e.getClass().getSimpleName() + ": " + e.getMessage()).build();
        }
    }

    /** The last line of a (possibly multi-line, "220-…") reply. */
    private static String reply(InputStream in) throws IOException {
        while (true) {
            StringBuilder line = new StringBuilder();
            int b;
            while ((b = in.read()) != -1 && b != '\n') {
                if (b != '\r' && line.length() < 512) {
                    line.append((char) b);
                }
            }
            if (b == -1 && line.length() == 0) {
                throw new IOException("the server closed the connection without a greeting");
            }
            if (line.length() < 4 || line.charAt(3) != '-' || b == -1) {
                return line.toString();
            }
        }
    }

    private static String abbreviate(String text) {
        return text.length() <= 80 ? text : text.substring(0, 80) + "...";
    }
}
