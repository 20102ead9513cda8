package dev.incidentplatform.notification.webhook;

import java.net.URI;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import dev.incidentplatform.notification.mail.MailTransport;
import dev.incidentplatform.notification.mail.OutgoingMail;
import dev.incidentplatform.notification.mail.SendFailedException;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;

/**
 * Tells the contact of a disabled endpoint, once per disabling, in a short plain-text mail. The channel only marks the
 * notice due (and wakes this); a sweep thread claims due notices (one instance at a time per endpoint), sends them
 * through the service's mail transport and records the result, and tries a failed one again at its next round.
 */
@ApplicationScoped
public class ContactNotices {

    private static final Logger LOG = Logger.getLogger(ContactNotices.class);
    private static final int BATCH = 20;
    /** Long enough for any send (the transport times out first); a sweep that died leaves its claims for this long. */
    private static final Duration LEASE = Duration.ofMinutes(5);
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'").withZone(ZoneOffset.UTC);

    private final WebhookStore store;
    private final MailTransport mail;
    private final WebhookConfig config;
    private ScheduledExecutorService sweeper;

    public ContactNotices(WebhookStore store, MailTransport mail, WebhookConfig config) {
        this.store = store;
        this.mail = mail;
        this.config = config;
    }

    void start(@Observes StartupEvent startup) {
        sweeper = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "webhook-contact-notices");
            thread.setDaemon(true);
            return thread;
        });
        long interval = config.contactSweepInterval().toMillis();
        sweeper.scheduleWithFixedDelay(this::sweepQuietly, interval, interval, TimeUnit.MILLISECONDS);
    }

    void stop(@Observes ShutdownEvent shutdown) {
        if (sweeper != null) {
            sweeper.shutdownNow();
        }
    }

    /** An endpoint was just disabled: mail its contact now rather than at the next round. */
    public void wake() {
        ScheduledExecutorService current = sweeper;
        if (current != null) {
            try {
                current.execute(this::sweepQuietly);
            } catch (RejectedExecutionException e) {
                // Shutting down: the next start's sweep sends it.
            }
        }
    }

    /** Sends every due notice; returns how many went out. */
    int sweep() {
        int sent = 0;
        List<WebhookStore.ContactNotice> due;
        do {
            due = store.claimContactNotices(BATCH, LEASE);
            for (WebhookStore.ContactNotice notice : due) {
                try {
                    mail.send(mail(notice));
                    store.contactNotified(notice.id());
                    sent++;
                } catch (SendFailedException e) {
                    LOG.warnf("Could not mail the contact of disabled webhook %s (tried again in %s): %s", notice.id(),
                            config.contactSweepInterval(), e.getMessage());
                    store.contactNoticeFailed(notice.id(), e.getMessage() == null ? e.toString() : e.getMessage(),
                            config.contactSweepInterval());
                }
            }
        } while (due.size() == BATCH);
        return sent;
    }

    private void sweepQuietly() {
        try {
            sweep();
        } catch (RuntimeException e) {
            LOG.warnf(e, "The webhook contact sweep failed; it runs again in %s", config.contactSweepInterval());
        }
    }

    static OutgoingMail mail(WebhookStore.ContactNotice notice) {
        String host = URI.create(notice.url()).getHost();
        String text = "Your webhook endpoint " + notice.id() + " at " + host + " was disabled on "
                + TIME.format(notice.disabledAt()) + ".\n\n"
                + "Why: " + notice.disabledReason() + "\n\n"
                + "Nothing is sent to it until it is enabled again: PUT /api/webhooks/" + notice.id()
                + " with \"enabled\": true once the endpoint answers with 2xx.\n";
        return new OutgoingMail(notice.contact(), "Webhook disabled: " + host, text, null,
                Map.of("Auto-Submitted", "auto-generated"));
    }
}
