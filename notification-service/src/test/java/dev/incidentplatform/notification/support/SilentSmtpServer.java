package dev.incidentplatform.notification.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A server that accepts SMTP connections and never says a word, as a wedged mail server or a black-holing firewall
 * does: the client's connection succeeds and then waits for a greeting that never comes.
 */
public final class SilentSmtpServer implements AutoCloseable {

    private final ServerSocket socket;
    private final List<Socket> connections = new CopyOnWriteArrayList<>();

    public SilentSmtpServer() {
        try {
            socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Thread acceptor = new Thread(this::accept, "silent-smtp");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    public int port() {
        return socket.getLocalPort();
    }

    public int connectionsAccepted() {
        return connections.size();
    }

    private void accept() {
        while (!socket.isClosed()) {
            try {
                connections.add(socket.accept());
            } catch (IOException e) {
                return;
            }
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
        for (Socket connection : connections) {
            connection.close();
        }
    }
}
