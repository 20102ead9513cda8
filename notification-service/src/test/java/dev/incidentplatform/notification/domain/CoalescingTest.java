package dev.incidentplatform.notification.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import dev.incidentplatform.notification.domain.Coalescing.Candidate;
import dev.incidentplatform.notification.domain.Coalescing.Send;

/** Given claimed and still-pending deliveries of one thread → the emails to send and what each covers. */
class CoalescingTest {

    private static Candidate opened() {
        return new Candidate(UUID.randomUUID(), "incident-opened", 1);
    }

    private static Candidate update(int version) {
        return new Candidate(UUID.randomUUID(), "update-posted", version);
    }

    private static Candidate review(int version) {
        return new Candidate(UUID.randomUUID(), "review-published", version);
    }

    @Test
    void aLoneDeliveryIsSentAsItIs() {
        Candidate opened = opened();
        assertThat(Coalescing.plan(List.of(opened), List.of())).containsExactly(new Send(opened, List.of()));
    }

    @Test
    void pendingUpdatesOfTheSameThreadAreCoveredInOrderByTheClaimedOne() {
        Candidate opened = opened();
        Candidate two = update(2);
        Candidate three = update(3);
        assertThat(Coalescing.plan(List.of(opened), List.of(three, two)))
                .containsExactly(new Send(opened, List.of(two, three)));
    }

    @Test
    void severalClaimedAtOnceBecomeOneEmailSentAsTheEarliest() {
        Candidate two = update(2);
        Candidate three = update(3);
        Candidate four = update(4);
        assertThat(Coalescing.plan(List.of(three, two), List.of(four)))
                .containsExactly(new Send(two, List.of(three, four)));
    }

    @Test
    void aReviewIsNeverCoalescedNorCovers() {
        Candidate review = review(5);
        Candidate update = update(4);
        assertThat(Coalescing.plan(List.of(review), List.of(update))).containsExactly(new Send(review, List.of()));
        Candidate laterReview = review(6);
        assertThat(Coalescing.plan(List.of(update), List.of(laterReview))).containsExactly(new Send(update, List.of()));
    }

    @Test
    void claimedReviewAndStatusNoticesGoAsSeparateEmails() {
        Candidate update = update(4);
        Candidate review = review(5);
        assertThat(Coalescing.plan(List.of(update, review), List.of()))
                .containsExactly(new Send(update, List.of()), new Send(review, List.of()));
    }
}
