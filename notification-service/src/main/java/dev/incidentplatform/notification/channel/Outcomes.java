package dev.incidentplatform.notification.channel;

/** Where a channel reports what became of each delivery of a batch; safe to call from any thread. */
public interface Outcomes {

    /** The other side accepted the delivery (an SMTP 250, an HTTP 2xx). */
    void sent(Delivery delivery);

    void failed(Delivery delivery, Failure failure);
}
