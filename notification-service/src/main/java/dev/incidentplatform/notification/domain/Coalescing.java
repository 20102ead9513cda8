package dev.incidentplatform.notification.domain;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;

/**
 * Flood control. When a sender claims deliveries of incident I for subscriber S, every other delivery of I for S that
 * is still pending is covered by one email, which shows the latest state and lists each update it covers in order.
 * A post-incident review is a different kind of mail and always goes on its own.
 */
public final class Coalescing {

    private static final String REVIEW = "review-published";

    /** A delivery of one incident to one subscriber, and which event it carries. */
    public record Candidate(UUID deliveryId, String eventType, int streamVersion) {

        boolean statusNotice() {
            return !REVIEW.equals(eventType);
        }
    }

    /** One email: the delivery it is sent as, and the deliveries whose notices it also carries. */
    public record Send(Candidate sender, List<Candidate> covered) {
    }

    private Coalescing() {
    }

    /**
     * @param claimed the deliveries of one (incident, subscriber) a sender just claimed
     * @param pending the other deliveries of that (incident, subscriber) still pending (not being sent elsewhere)
     * @return the emails to send: each review alone; all status notices as one email sent as the earliest claimed one
     */
    public static List<Send> plan(List<Candidate> claimed, List<Candidate> pending) {
        List<Send> sends = new ArrayList<>();
        List<Candidate> statusNotices = claimed.stream().filter(Candidate::statusNotice)
                .sorted(Comparator.comparingInt(Candidate::streamVersion)).toList();
        if (!statusNotices.isEmpty()) {
            Candidate sender = statusNotices.get(0);
            List<Candidate> covered = new ArrayList<>(statusNotices.subList(1, statusNotices.size()));
            pending.stream()
                    .filter(Candidate::statusNotice)
                    .filter(candidate -> claimed.stream().noneMatch(c -> c.deliveryId().equals(candidate.deliveryId())))
                    .forEach(covered::add);
            covered.sort(Comparator.comparingInt(Candidate::streamVersion));
            sends.add(new Send(sender, List.copyOf(covered)));
        }
        claimed.stream().filter(candidate -> !candidate.statusNotice()).forEach(review -> sends.add(new Send(review, List.of())));
        return sends;
    }
}
