package dev.incidentplatform.compensation.creditrun;

import java.time.Duration;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;

/**
 * Applies the planned credit runs in the background, one chunk (one short transaction, {@link CreditRunChunks}) at a
 * time, as long as any is pending; then polls. Every instance runs one; the run rows' locks share the work. A crash
 * loses at most the chunk in flight, which rolls back and is applied again from the run's progress.
 */
@ApplicationScoped
public class CreditRunWorker {

    private static final Logger LOG = Logger.getLogger(CreditRunWorker.class);

    private final CreditRunChunks chunks;
    private final Timer chunkTimer;
    private final Duration pollInterval;
    private final boolean enabled;
    private Thread worker;
    private volatile boolean running;

    public CreditRunWorker(CreditRunChunks chunks, MeterRegistry meters,
            @ConfigProperty(name = "compensation.credits.poll-interval", defaultValue = "PT0.2S") Duration pollInterval,
            @ConfigProperty(name = "compensation.credits.worker-enabled", defaultValue = "true") boolean enabled) {
        this.chunks = chunks;
        this.chunkTimer = Timer.builder("compensation.credit.run.chunk")
                .description("Credit-run chunks applied, each in one transaction (its duration)").register(meters);
        this.pollInterval = pollInterval;
        this.enabled = enabled;
    }

    void start(@Observes StartupEvent startup) {
        if (!enabled) {
            return;
        }
        running = true;
        worker = new Thread(this::run, "credit-run-worker");
        worker.setDaemon(true);
        worker.start();
    }

    void stop(@Observes ShutdownEvent shutdown) {
        running = false;
        if (worker != null) {
            worker.interrupt();
            try {
                worker.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void run() {
        long backoffMs = 200;
        while (running) {
            try {
                if (!applyOneChunk()) {
                    Thread.sleep(pollInterval.toMillis());
                }
                backoffMs = 200;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (Exception e) {
                if (!running) {
                    return;
                }
                LOG.warnf("Applying a credit-run chunk failed (%s); retrying in %d ms", e.getMessage(), backoffMs);
                try {
                    Thread.sleep(backoffMs);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    return;
                }
                backoffMs = Math.min(backoffMs * 2, 10_000);
            }
        }
    }

    /** Applies one chunk; false when no run is pending. */
    boolean applyOneChunk() throws Exception {
        long start = System.nanoTime();
        Optional<CreditRunChunks.Chunk> applied = chunks.applyNext();
        if (applied.isEmpty()) {
            return false;
        }
        long nanos = System.nanoTime() - start;
        chunkTimer.record(Duration.ofNanos(nanos));
        CreditRunChunks.Chunk chunk = applied.get();
        LOG.debugf("Credit run %d: chunk %d, %d contracts, %d entries in %d ms", chunk.runId(), chunk.chunksSoFar(),
                chunk.contracts(), chunk.entries(), nanos / 1_000_000);
        if (chunk.finished()) {
            LOG.infof("Incident %s: credit run %d for %s in %s finished, %d ledger entries in %d chunks", chunk.incidentId(),
                    chunk.runId(), chunk.service(), chunk.month(), chunk.entriesSoFar(), chunk.chunksSoFar());
        }
        return true;
    }
}
