package dev.incidentplatform.notification.webhook;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import dev.incidentplatform.notification.channel.Channel;
import dev.incidentplatform.notification.channel.Delivery;
import dev.incidentplatform.notification.channel.Failure;
import dev.incidentplatform.notification.channel.Outcomes;
import dev.incidentplatform.platform.tracing.Tracing;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;

/**
 * The webhook channel: POSTs each delivery of a batch to its endpoint, concurrently (at most
 * {@code max-concurrency-per-host} requests to one host and {@code max-concurrency} in all from this instance), signed
 * as Standard Webhooks has it with {@code webhook-id} = the delivery id (the same on every retry). Before each request
 * the host is resolved again and every address checked against the outbound policy (a name that now points inward is
 * refused); redirects are never followed; no proxy is used. The endpoint's health is recorded after each answer: a
 * success clears its failing period, a failure starts it, and failing for {@code failing-period} or answering 410
 * disables it, its contact to be mailed once.
 */
@ApplicationScoped
public class WebhookChannel implements Channel {

    public static final String NAME = "webhook";
    public static final String SEND_SPAN = "webhook send";
    static final String USER_AGENT = "incident-platform-notification-service (webhooks)";
    /** The most of an answer's body read, for the delivery log; a longer body is cut off (its connection closed). */
    static final int BODY_EXCERPT_BYTES = 4096;
    private static final Logger LOG = Logger.getLogger(WebhookChannel.class);

    private final WebhookStore store;
    private final WebhookPayloads payloads;
    private final SecretBox box;
    private final OutboundPolicy policy;
    private final WebhookConfig config;
    private final ContactNotices contactNotices;
    private final HttpClient client;
    private final ExecutorService workers;
    private final Semaphore overall;
    private final Map<String, Semaphore> perHost = new ConcurrentHashMap<>();
    private final Tracing tracing;

    public WebhookChannel(WebhookStore store, WebhookPayloads payloads, SecretBox box, OutboundPolicy policy,
            WebhookConfig config, ContactNotices contactNotices, Tracing tracing) {
        this.store = store;
        this.tracing = tracing;
        this.payloads = payloads;
        this.box = box;
        this.policy = policy;
        this.config = config;
        this.contactNotices = contactNotices;
        this.overall = new Semaphore(config.maxConcurrency(), true);
        AtomicInteger threads = new AtomicInteger();
        this.workers = Executors.newCachedThreadPool(task -> {
            Thread thread = new Thread(task, "webhook-send-" + threads.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        // HTTP/2 where the server offers it (ALPN), else HTTP/1.1 with kept-alive connections.
        this.client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2).connectTimeout(config.connectTimeout())
                .followRedirects(HttpClient.Redirect.NEVER).proxy(HttpClient.Builder.NO_PROXY).build();
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void send(List<Delivery> batch, Outcomes outcomes) {
        Map<UUID, WebhookStore.Target> targets = store.targets(batch.stream().map(Delivery::recipientId).distinct().toList());
        List<CompletableFuture<Void>> running = new ArrayList<>();
        for (Delivery delivery : batch) {
            Report report = new Report(delivery, outcomes);
            WebhookStore.Target target = targets.get(delivery.recipientId());
            if (target == null) {
                report.failed(Failure.recipientGone("the webhook endpoint no longer exists"));
            } else if (!target.enabled()) {
                report.failed(Failure.recipientGone("the webhook endpoint is disabled"));
            } else {
                try {
                    running.add(CompletableFuture.runAsync(() -> deliver(delivery, target, report), workers)
                            .exceptionally(failure -> {
                                LOG.warnf(failure, "Webhook delivery %s failed unexpectedly", delivery.id());
                                report.failed(Failure.transientFailure("unexpected failure: " + failure));
                                return null;
                            }));
                } catch (RejectedExecutionException e) {
                    report.failed(Failure.transientFailure("the service is shutting down"));
                }
            }
        }
        CompletableFuture.allOf(running.toArray(CompletableFuture[]::new)).join();
    }

    /**
     * A CLIENT span {@value #SEND_SPAN} per delivery, child of the fan-out that stored its notice: the post belongs to
     * the trace of the command that caused it. The endpoint's URL is not recorded (a Slack or Teams URL is a secret).
     */
    private void deliver(Delivery delivery, WebhookStore.Target target, Report report) {
        try (Tracing.ActiveSpan span = tracing.continuing(SEND_SPAN, SpanKind.CLIENT, delivery.latest().traceparent())) {
            span.span().setAttribute("notification.delivery.id", delivery.id().toString());
            span.span().setAttribute("notification.delivery.attempt", delivery.attempts());
            span.span().setAttribute("cloudevents.event_id", delivery.latest().eventId().toString());
            span.span().setAttribute("http.request.method", "POST");
            renderAndPost(delivery, target, report);
        }
    }

    private void renderAndPost(Delivery delivery, WebhookStore.Target target, Report report) {
        WebhookPayloads.Payload payload;
        try {
            payload = payloads.render(delivery, target.format());
        } catch (RuntimeException e) {
            report.failed(Failure.permanent("the notice cannot be rendered as " + target.format() + ": " + e.getMessage()));
            return;
        }
        URI uri = URI.create(target.url());
        Semaphore hostPermits = perHost.computeIfAbsent(OutboundPolicy.host(uri).toLowerCase(Locale.ROOT),
                host -> new Semaphore(config.maxConcurrencyPerHost(), true));
        long wait = config.requestTimeout().toMillis();
        try {
            if (!hostPermits.tryAcquire(wait, TimeUnit.MILLISECONDS)) {
                report.failed(Failure.transientFailure("too many requests in flight to " + uri.getHost() + " from this instance"));
                return;
            }
            try {
                if (!overall.tryAcquire(wait, TimeUnit.MILLISECONDS)) {
                    report.failed(Failure.transientFailure("too many webhook requests in flight from this instance"));
                    return;
                }
                try {
                    exchange(delivery, target, uri, payload, report);
                } finally {
                    overall.release();
                }
            } finally {
                hostPermits.release();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            report.failed(Failure.transientFailure("interrupted while waiting to send"));
        }
    }

    private void exchange(Delivery delivery, WebhookStore.Target target, URI uri, WebhookPayloads.Payload payload,
            Report report) throws InterruptedException {
        try {
            policy.check(uri);
        } catch (OutboundPolicy.Refused refused) {
            Failure failure = refused.unresolved() ? Failure.transientFailure(refused.getMessage())
                    : Failure.permanent("refused: " + refused.getMessage());
            endpointFailed(target, failure, report);
            return;
        }
        List<String> secrets = new ArrayList<>();
        secrets.add(box.open(target.sealedSecret(), WebhookEndpoints.secretPlace(target.id())));
        if (target.sealedPreviousSecret() != null) {
            secrets.add(box.open(target.sealedPreviousSecret(), WebhookEndpoints.secretPlace(target.id())));
        }
        String webhookId = delivery.id().toString();
        long timestamp = Instant.now().getEpochSecond();
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(config.requestTimeout())
                .header("Content-Type", payload.contentType())
                .header("User-Agent", USER_AGENT)
                .header("webhook-id", webhookId)
                .header("webhook-timestamp", Long.toString(timestamp))
                .header("webhook-signature", WebhookSignatures.header(webhookId, timestamp, payload.body(), secrets))
                .POST(HttpRequest.BodyPublishers.ofByteArray(payload.body()));
        if ("http".equalsIgnoreCase(uri.getScheme())) {
            // No h2c upgrade attempt on plain connections: many servers mishandle it on a POST.
            request.version(HttpClient.Version.HTTP_1_1);
        }
        CompletableFuture<HttpResponse<String>> answer = client.sendAsync(request.build(),
                info -> new BoundedBody(BODY_EXCERPT_BYTES));
        HttpResponse<String> response;
        Duration deadline = config.connectTimeout().plus(config.requestTimeout()).plusSeconds(1);
        try {
            response = answer.get(deadline.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            answer.cancel(true);
            endpointFailed(target, Failure.transientFailure("no complete answer within " + deadline), report);
            return;
        } catch (ExecutionException e) {
            endpointFailed(target, Failure.transientFailure(describe(e.getCause())), report);
            return;
        }
        Optional<Failure> failure = WebhookResponses.classify(response.statusCode(),
                response.headers().firstValue("Retry-After"), response.body(), Instant.now(), config.retryAfterCap());
        if (failure.isEmpty()) {
            // Reported first: the endpoint has it, whatever becomes of the bookkeeping.
            report.sent();
            try {
                store.recordSuccess(target.id());
            } catch (RuntimeException e) {
                LOG.warnf(e, "Could not record the success of webhook %s", target.id());
            }
        } else if (failure.get().kind() == Failure.Kind.RECIPIENT_GONE) {
            try {
                if (store.disableGone(target.id(), "the endpoint answered " + failure.get().reason())) {
                    contactNotices.wake();
                }
            } finally {
                report.failed(failure.get());
            }
        } else {
            endpointFailed(target, failure.get(), report);
        }
    }

    /** Records the failure; when it ends the failing period the endpoint is disabled and the delivery cancelled. */
    private void endpointFailed(WebhookStore.Target target, Failure failure, Report report) {
        boolean disabled = false;
        try {
            disabled = store.recordFailure(target.id(), failure.reason(), config.failingPeriod());
        } catch (RuntimeException e) {
            LOG.warnf(e, "Could not record the failure of webhook %s", target.id());
        }
        if (disabled) {
            contactNotices.wake();
            report.failed(Failure.recipientGone("the endpoint was disabled: no successful delivery for "
                    + config.failingPeriod() + "; last failure: " + failure.reason()));
        } else {
            report.failed(failure);
        }
    }

    private String describe(Throwable failure) {
        if (failure instanceof HttpConnectTimeoutException) {
            return "could not connect within " + config.connectTimeout();
        }
        if (failure instanceof HttpTimeoutException) {
            return "no answer within " + config.requestTimeout();
        }
        if (failure instanceof ConnectException) {
            return "could not connect: " + (failure.getMessage() == null ? "connection refused" : failure.getMessage());
        }
        if (failure instanceof IOException) {
            return "the connection failed: " + failure.getClass().getSimpleName()
                    + (failure.getMessage() == null ? "" : ": " + failure.getMessage());
        }
        return "the request failed: " + failure;
    }

    @PreDestroy
    void stop() {
        workers.shutdownNow();
    }

    /** One delivery's outcome, reported once whatever happens. */
    private static final class Report {
        private final Delivery delivery;
        private final Outcomes outcomes;
        private final AtomicBoolean reported = new AtomicBoolean();

        Report(Delivery delivery, Outcomes outcomes) {
            this.delivery = delivery;
            this.outcomes = outcomes;
        }

        void sent() {
            if (reported.compareAndSet(false, true)) {
                outcomes.sent(delivery);
            }
        }

        void failed(Failure failure) {
            if (reported.compareAndSet(false, true)) {
                // The send span, where one is current (a delivery refused before its send has none).
                Span.current().setStatus(StatusCode.ERROR, failure.kind() + ": " + failure.reason());
                outcomes.failed(delivery, failure);
            }
        }
    }
}
