package dev.incidentplatform.testsupport;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;

/** GreenMail standalone in a container; received mail is read through its JSON API. */
final class ContainerMailServer extends MailServer {

    static final String IMAGE = "greenmail/standalone:2.1.13";
    private static final int SMTP = 3025;
    private static final int API = 8080;

    private final GenericContainer<?> container;
    private final HttpClient http = HttpClient.newHttpClient();
    private final ObjectMapper json = new ObjectMapper();
    private final Session session = Session.getInstance(new Properties());
    private volatile boolean running = true;

    private ContainerMailServer(GenericContainer<?> container) {
        this.container = container;
    }

    @SuppressWarnings("resource")
    static ContainerMailServer launch() {
        GenericContainer<?> container = new GenericContainer<>(IMAGE)
                .withExposedPorts(SMTP, API)
                .withEnv("GREENMAIL_OPTS", "-Dgreenmail.setup.test.smtp -Dgreenmail.hostname=0.0.0.0"
                        + " -Dgreenmail.auth.disabled -Dgreenmail.api.hostname=0.0.0.0 -Dgreenmail.api.port=" + API)
                .waitingFor(Wait.forHttp("/api/service/readiness").forPort(API));
        container.start();
        return new ContainerMailServer(container);
    }

    @Override
    public String host() {
        return container.getHost();
    }

    @Override
    public int smtpPort() {
        return container.getMappedPort(SMTP);
    }

    @Override
    public List<MimeMessage> receivedMessages() {
        List<MimeMessage> messages = new ArrayList<>();
        for (JsonNode user : get("/api/user")) {
            String mailbox = URLEncoder.encode(user.path("email").asText(), StandardCharsets.UTF_8);
            for (JsonNode message : get("/api/user/" + mailbox + "/messages/INBOX")) {
                byte[] raw = message.path("mimeMessage").asText().getBytes(StandardCharsets.UTF_8);
                try {
                    messages.add(new MimeMessage(session, new ByteArrayInputStream(raw)));
                } catch (MessagingException e) {
                    throw new IllegalStateException("Unreadable message from the SMTP server", e);
                }
            }
        }
        return messages;
    }

    @Override
    public void purge() {
        send(HttpRequest.newBuilder(api("/api/mail/purge")).POST(HttpRequest.BodyPublishers.noBody()).build());
    }

    @Override
    public synchronized void stop() {
        if (running) {
            DockerClientFactory.instance().client().pauseContainerCmd(container.getContainerId()).exec();
            running = false;
        }
    }

    @Override
    public synchronized void start() {
        if (!running) {
            DockerClientFactory.instance().client().unpauseContainerCmd(container.getContainerId()).exec();
            running = true;
        }
    }

    @Override
    public boolean running() {
        return running;
    }

    @Override
    public void close() {
        container.stop();
    }

    private JsonNode get(String path) {
        String body = send(HttpRequest.newBuilder(api(path)).GET().build());
        try {
            return json.readTree(body);
        } catch (IOException e) {
            throw new IllegalStateException("Unreadable answer from the SMTP server's API: " + body, e);
        }
    }

    private String send(HttpRequest request) {
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() / 100 != 2) {
                throw new IllegalStateException(request.uri() + " answered " + response.statusCode() + ": " + response.body());
            }
            return response.body();
        } catch (IOException e) {
            throw new IllegalStateException("The SMTP server's API did not answer", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private URI api(String path) {
        return URI.create("http://" + container.getHost() + ":" + container.getMappedPort(API) + path);
    }
}
