package dev.incidentplatform.testsupport;

import java.io.IOException;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;

import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.store.FolderException;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;

import jakarta.mail.internet.MimeMessage;

/** GreenMail's SMTP server in this JVM, authentication off, every recipient accepted. */
final class EmbeddedMailServer extends MailServer {

    private static final String HOST = "127.0.0.1";

    private final int port;
    /** Messages received by servers stopped earlier, so a stop/start does not lose what tests want to read. */
    private final List<MimeMessage> earlier = new ArrayList<>();
    private GreenMail greenMail;

    private EmbeddedMailServer(int port) {
        this.port = port;
    }

    static EmbeddedMailServer launch() {
        EmbeddedMailServer server = new EmbeddedMailServer(freePort());
        server.start();
        return server;
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException("No free port for the SMTP server", e);
        }
    }

    @Override
    public String host() {
        return HOST;
    }

    @Override
    public int smtpPort() {
        return port;
    }

    @Override
    public synchronized List<MimeMessage> receivedMessages() {
        List<MimeMessage> all = new ArrayList<>(earlier);
        if (greenMail != null) {
            all.addAll(List.of(greenMail.getReceivedMessages()));
        }
        return all;
    }

    @Override
    public synchronized void purge() {
        earlier.clear();
        if (greenMail != null) {
            try {
                greenMail.purgeEmailFromAllMailboxes();
            } catch (FolderException e) {
                throw new IllegalStateException("Could not purge the SMTP server's mailboxes", e);
            }
        }
    }

    @Override
    public synchronized void stop() {
        if (greenMail != null) {
            earlier.addAll(List.of(greenMail.getReceivedMessages()));
            greenMail.stop();
            greenMail = null;
        }
    }

    @Override
    public synchronized void start() {
        if (greenMail == null) {
            GreenMail server = new GreenMail(new ServerSetup(port, HOST, ServerSetup.PROTOCOL_SMTP))
                    .withConfiguration(GreenMailConfiguration.aConfig().withDisabledAuthentication());
            server.start();
            greenMail = server;
        }
    }

    @Override
    public synchronized boolean running() {
        return greenMail != null;
    }

    @Override
    public void close() {
        stop();
    }
}
