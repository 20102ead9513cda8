package dev.incidentplatform.notification.domain;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * Flood control, the same for every channel. A thread is the deliveries of one incident to one recipient on one
 * channel. When a sender claims deliveries of a thread, every status notice of it still pending rides along in one
 * delivery, sent as the latest of them: it shows the latest state and lists each update it covers in order, and its id
 * (a Message-ID, a webhook id) is that of the latest notice, so a retry that carries the same notices carries the same
 * id and a newer notice makes a new one. A post-incident review is a different kind of notice and always goes on its
 * own. A thread's deliveries leave one at a time, in order: one send per thread and claim.
 */
public final class Coalescing {

    private static final String REVIEW = "review-published";

    /** A delivery of one thread, and which event it carries. */
    public record Candidate(UUID deliveryId, String eventType, int streamVersion) {

        boolean statusNotice() {
            return !REVIEW.equals(eventType);
        }
    }

    /**
     * One delivery to hand to a channel: the delivery it is sent as (its latest notice), and the deliveries whose
     * notices it also carries, earliest first.
     */
    public record Send(Candidate sender, List<Candidate> covered) {

        int earliestVersion() {
            return covered.isEmpty() ? sender.streamVersion() : Math.min(sender.streamVersion(), covered.get(0).streamVersion());
        }
    }

    /**
     * What a claim does with one thread.
     *
     * @param send what goes out now; its sender may be a pending delivery that was not claimed (a later notice)
     * @param handBack claimed deliveries that wait for a later claim (a review behind a status notice, or the reverse)
     */
    public record Plan(Send send, List<Candidate> handBack) {
    }

    private Coalescing() {
    }

    /**
     * @param claimed the deliveries of one thread a sender just claimed (at least one)
     * @param pending the other deliveries of that thread still pending (not being sent elsewhere)
     */
    public static Plan plan(List<Candidate> claimed, List<Candidate> pending) {
        if (claimed.isEmpty()) {
            throw new IllegalArgumentException("a plan needs a claimed delivery");
        }
        Set<UUID> claimedIds = claimed.stream().map(Candidate::deliveryId).collect(Collectors.toSet());
        List<Candidate> statusNotices = new ArrayList<>(claimed.stream().filter(Candidate::statusNotice).toList());
        pending.stream().filter(Candidate::statusNotice).filter(c -> !claimedIds.contains(c.deliveryId())).forEach(statusNotices::add);
        statusNotices.sort(Comparator.comparingInt(Candidate::streamVersion));

        List<Send> sends = new ArrayList<>();
        if (!statusNotices.isEmpty()) {
            Candidate latest = statusNotices.get(statusNotices.size() - 1);
            sends.add(new Send(latest, List.copyOf(statusNotices.subList(0, statusNotices.size() - 1))));
        }
        claimed.stream().filter(c -> !c.statusNotice()).forEach(review -> sends.add(new Send(review, List.of())));
        sends.sort(Comparator.comparingInt(Send::earliestVersion));

        Send first = sends.get(0);
        List<Candidate> handBack = new ArrayList<>();
        for (Send later : sends.subList(1, sends.size())) {
            if (claimedIds.contains(later.sender().deliveryId())) {
                handBack.add(later.sender());
            }
            later.covered().stream().filter(c -> claimedIds.contains(c.deliveryId())).forEach(handBack::add);
        }
        return new Plan(first, List.copyOf(handBack));
    }
}
