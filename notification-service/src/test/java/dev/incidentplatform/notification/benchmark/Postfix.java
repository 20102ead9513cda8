package dev.incidentplatform.notification.benchmark;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Postfix's test tools, unpacked from the Debian package by {@code benchmarks/run} (no Postfix service is installed or
 * started): {@code smtp-sink}, an SMTP server that accepts and discards every message, counting them, and
 * {@code smtp-source}, a client that sends N messages of a given size over S parallel sessions.
 */
final class Postfix {

    private static final Pattern MESSAGES = Pattern.compile("mesg=(\\d+)");

    private final Path root;

    private Postfix(Path root) {
        this.root = root;
    }

    /** The unpacked package named by {@code -Dbenchmark.postfix} (benchmarks/run sets it). */
    static Postfix unpacked() {
        String dir = System.getProperty("benchmark.postfix");
        if (dir == null || !Files.isExecutable(Path.of(dir, "usr", "sbin", "smtp-sink"))) {
            throw new IllegalStateException("-Dbenchmark.postfix must name the unpacked Debian postfix package "
                    + "(notification-service/benchmarks/run prepares it): " + dir);
        }
        return new Postfix(Path.of(dir).toAbsolutePath());
    }

    /** A running smtp-sink on a free loopback port, its running message counter read from its output. */
    Sink startSink() throws IOException {
        int port;
        try (ServerSocket probe = new ServerSocket(0)) {
            port = probe.getLocalPort();
        }
        List<String> command = new ArrayList<>(List.of(tool("smtp-sink"), "-c"));
        if ("root".equals(System.getProperty("user.name"))) {
            // smtp-sink refuses to run as root without a user to drop to.
            command.addAll(List.of("-u", "root"));
        }
        command.addAll(List.of("127.0.0.1:" + port, "1024"));
        Process process = builder(command).start();
        Sink sink = new Sink(process, port);
        sink.awaitListening();
        return sink;
    }

    /**
     * Sends {@code messages} messages of {@code bodyBytes} bytes over {@code sessions} parallel sessions, each
     * connection reused for many messages ({@code -d}), as the service's pooled connections are.
     *
     * @return seconds until smtp-source finished
     */
    double source(int port, int messages, int sessions, int bodyBytes) throws IOException, InterruptedException {
        long start = System.nanoTime();
        Process process = builder(List.of(tool("smtp-source"), "-d", "-N", "-s", Integer.toString(sessions), "-m",
                Integer.toString(messages), "-l", Integer.toString(bodyBytes), "-f", "status@bench.example.test", "-t",
                "user@bench.example.test", "127.0.0.1:" + port)).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(10, TimeUnit.MINUTES) || process.exitValue() != 0) {
            throw new IllegalStateException("smtp-source failed: " + output);
        }
        return (System.nanoTime() - start) / 1e9;
    }

    private String tool(String name) {
        return root.resolve("usr/sbin/" + name).toString();
    }

    private ProcessBuilder builder(List<String> command) {
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().put("LD_LIBRARY_PATH", root.resolve("usr/lib/postfix").toString());
        return builder;
    }

    /** A running smtp-sink. */
    static final class Sink implements AutoCloseable {

        private final Process process;
        private final int port;
        private final AtomicLong received = new AtomicLong();
        private final StringBuilder firstOutput = new StringBuilder();

        private Sink(Process process, int port) {
            this.process = process;
            this.port = port;
            Thread reader = new Thread(this::readCounter, "smtp-sink-counter");
            reader.setDaemon(true);
            reader.start();
        }

        int port() {
            return port;
        }

        long received() {
            return received.get();
        }

        /** Waits until the counter reached {@code count}; returns when it did (System.nanoTime). */
        long awaitReceived(long count, Duration timeout) throws InterruptedException {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (received.get() < count) {
                if (System.nanoTime() > deadline || !process.isAlive()) {
                    throw new IllegalStateException("smtp-sink received " + received.get() + " of " + count
                            + " messages" + (process.isAlive() ? " in " + timeout : "; it exited: " + firstOutput));
                }
                Thread.sleep(5);
            }
            return System.nanoTime();
        }

        private void awaitListening() throws IOException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (System.nanoTime() < deadline) {
                try (java.net.Socket socket = new java.net.Socket("127.0.0.1", port)) {
                    return;
                } catch (IOException notYet) {
                    if (!process.isAlive()) {
                        throw new IOException("smtp-sink exited: " + firstOutput);
                    }
                    try {
                        Thread.sleep(20);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new IOException(e);
                    }
                }
            }
            throw new IOException("smtp-sink did not listen on " + port);
        }

        /** smtp-sink -c rewrites one status line ("sess=… quit=… mesg=N", separated by CR) per event. */
        private void readCounter() {
            try (BufferedReader output = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8))) {
                StringBuilder line = new StringBuilder();
                int c;
                while ((c = output.read()) != -1) {
                    if (c == '\r' || c == '\n') {
                        Matcher matcher = MESSAGES.matcher(line);
                        if (matcher.find()) {
                            received.set(Long.parseLong(matcher.group(1)));
                        } else if (firstOutput.length() < 2000) {
                            firstOutput.append(line).append('\n');
                        }
                        line.setLength(0);
                    } else {
                        line.append((char) c);
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public void close() {
            process.destroy();
        }
    }
}
