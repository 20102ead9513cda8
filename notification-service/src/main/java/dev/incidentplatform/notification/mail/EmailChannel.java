package dev.incidentplatform.notification.mail;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import dev.incidentplatform.notification.channel.Channel;
import dev.incidentplatform.notification.channel.Delivery;
import dev.incidentplatform.notification.channel.Failure;
import dev.incidentplatform.notification.channel.Outcomes;
import dev.incidentplatform.notification.config.NotificationConfig;
import dev.incidentplatform.platform.tracing.Tracing;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;

/**
 * Email: a delivery's recipient is a subscriber. A batch's subscribers are read in one query (one who unsubscribed or
 * was deleted since the claim is gone); each mail is rendered by {@link NoticeMails} and sent through
 * {@link MailTransport}, one at a time on the sender's thread (one kept-open SMTP connection each).
 * <p>
 * Message-IDs are functions of the delivery, so a send repeated after a crash or a retry is recognisably the same mail:
 * the delivery that opens its thread is {@code <incident-{incidentId}.{subscriberId}@{domain}>}, every other one
 * {@code <notice-{deliveryId}@{domain}>} with In-Reply-To and References pointing at that root. An SMTP refusal 5yz is
 * permanent, 4yz or no reply (refused connection, timeout) transient.
 * <p>
 * Each send is a CLIENT span {@value #SEND_SPAN}, child of the fan-out that stored the delivery's own notice (its
 * stored traceparent): the mail belongs to the trace of the command that caused it, though it goes out later.
 */
@ApplicationScoped
public class EmailChannel implements Channel {

    public static final String NAME = "email";
    public static final String SEND_SPAN = "smtp send";

    private static final Logger LOG = Logger.getLogger(EmailChannel.class);

    private final DataSource dataSource;
    private final NoticeMails mails;
    private final MailTransport transport;
    private final String messageIdDomain;
    private final Tracing tracing;

    public EmailChannel(DataSource dataSource, NoticeMails mails, MailTransport transport, NotificationConfig config,
            Tracing tracing) {
        this.dataSource = dataSource;
        this.tracing = tracing;
        this.mails = mails;
        this.transport = transport;
        this.messageIdDomain = config.mail().messageIdDomain();
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void send(List<Delivery> batch, Outcomes outcomes) {
        Map<UUID, EmailRecipient> recipients = recipients(batch);
        for (Delivery delivery : batch) {
            EmailRecipient recipient = recipients.get(delivery.recipientId());
            if (recipient == null) {
                outcomes.failed(delivery, Failure.recipientGone("the subscriber unsubscribed or was deleted before the send"));
                continue;
            }
            send(delivery, recipient, outcomes);
        }
    }

    private void send(Delivery delivery, EmailRecipient recipient, Outcomes outcomes) {
        try (Tracing.ActiveSpan span = tracing.continuing(SEND_SPAN, SpanKind.CLIENT, delivery.latest().traceparent())) {
            span.span().setAttribute("notification.delivery.id", delivery.id().toString());
            span.span().setAttribute("notification.delivery.attempt", delivery.attempts());
            span.span().setAttribute("cloudevents.event_id", delivery.latest().eventId().toString());
            Failure failure = renderAndSend(delivery, recipient);
            if (failure == null) {
                outcomes.sent(delivery);
            } else {
                span.span().setStatus(StatusCode.ERROR, failure.kind() + ": " + failure.reason());
                outcomes.failed(delivery, failure);
            }
        }
    }

    /** Null when the server accepted the mail; else why not. */
    private Failure renderAndSend(Delivery delivery, EmailRecipient recipient) {
        String root = delivery.incidentId() == null ? null : rootMessageId(delivery.incidentId(), recipient.subscriberId());
        String messageId = delivery.opensThread() && root != null ? root : "<notice-" + delivery.id() + "@" + messageIdDomain + ">";
        OutgoingMail mail;
        try {
            mail = mails.render(delivery, recipient, messageId, root == null || root.equals(messageId) ? null : root);
        } catch (RuntimeException e) {
            LOG.errorf(e, "Could not render delivery %s", delivery.id());
            return Failure.permanent("could not render the notice: " + e.getMessage());
        }
        try {
            transport.send(mail);
        } catch (SendFailedException e) {
            return classify(e);
        }
        return null;
    }

    /** 5yz will be refused again; 4yz and no reply at all (refused, reset, timed out) may go through later. */
    static Failure classify(SendFailedException failure) {
        Integer code = failure.replyCode();
        boolean permanent = code != null && code >= 500 && code < 600;
        return permanent ? Failure.permanent(failure.getMessage()) : Failure.transientFailure(failure.getMessage());
    }

    /** The root of the thread of one incident in one subscriber's mailbox. */
    String rootMessageId(UUID incidentId, UUID subscriberId) {
        return "<incident-" + incidentId + "." + subscriberId + "@" + messageIdDomain + ">";
    }

    /** The batch's subscribers who are still subscribed, in one query. */
    private Map<UUID, EmailRecipient> recipients(List<Delivery> batch) {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement query = connection.prepareStatement("""
                        SELECT id, email, name, customer_id, locale, time_zone FROM subscriber
                        WHERE id = ANY (?) AND unsubscribed_at IS NULL""")) {
            query.setArray(1, connection.createArrayOf("uuid", batch.stream().map(Delivery::recipientId).distinct().toArray()));
            Map<UUID, EmailRecipient> recipients = new HashMap<>();
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    UUID id = rows.getObject(1, UUID.class);
                    recipients.put(id, new EmailRecipient(id, rows.getString(2), rows.getString(3), rows.getString(4),
                            rows.getString(5), rows.getString(6)));
                }
            }
            return recipients;
        } catch (SQLException e) {
            throw new IllegalStateException("Could not read the subscribers of a batch of " + batch.size(), e);
        }
    }
}
