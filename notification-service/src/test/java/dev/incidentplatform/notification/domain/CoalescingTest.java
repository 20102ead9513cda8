package dev.incidentplatform.notification.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import dev.incidentplatform.notification.domain.Coalescing.Candidate;
import dev.incidentplatform.notification.domain.Coalescing.Plan;
import dev.incidentplatform.notification.domain.Coalescing.Send;

/** Given claimed and still-pending deliveries of one thread → the one delivery to send now, what it covers, what waits. */
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
        assertThat(Coalescing.plan(List.of(opened), List.of())).isEqualTo(new Plan(new Send(opened, List.of()), List.of()));
    }

    @Test
    void pendingUpdatesOfTheThreadRideAlongAndTheLatestIsTheOneSent() {
        Candidate opened = opened();
        Candidate two = update(2);
        Candidate three = update(3);
        assertThat(Coalescing.plan(List.of(opened), List.of(three, two)))
                .isEqualTo(new Plan(new Send(three, List.of(opened, two)), List.of()));
    }

    @Test
    void severalClaimedAtOnceBecomeOneDeliverySentAsTheLatest() {
        Candidate two = update(2);
        Candidate three = update(3);
        Candidate four = update(4);
        assertThat(Coalescing.plan(List.of(three, two), List.of(four)))
                .isEqualTo(new Plan(new Send(four, List.of(two, three)), List.of()));
        assertThat(Coalescing.plan(List.of(four, two), List.of(three)))
                .isEqualTo(new Plan(new Send(four, List.of(two, three)), List.of()));
    }

    @Test
    void aReviewIsNeverCoalescedNorCovers() {
        Candidate review = review(5);
        Candidate update = update(6);
        assertThat(Coalescing.plan(List.of(update), List.of(review)))
                .isEqualTo(new Plan(new Send(update, List.of()), List.of()));
        Candidate laterReview = review(7);
        assertThat(Coalescing.plan(List.of(laterReview), List.of()))
                .isEqualTo(new Plan(new Send(laterReview, List.of()), List.of()));
    }

    @Test
    void oneSendPerThreadAndClaimTheEarliestFirstAndTheOtherClaimedOnesWait() {
        Candidate update = update(4);
        Candidate review = review(5);
        assertThat(Coalescing.plan(List.of(review, update), List.of()))
                .isEqualTo(new Plan(new Send(update, List.of()), List.of(review)));
        Candidate earlyReview = review(2);
        Candidate three = update(3);
        Candidate four = update(4);
        assertThat(Coalescing.plan(List.of(three, earlyReview, four), List.of()))
                .isEqualTo(new Plan(new Send(earlyReview, List.of()), List.of(four, three)));
    }

    @Test
    void aClaimedReviewBehindAPendingUpdateWaitsWhileThePendingUpdateIsSent() {
        Candidate update = update(4);
        Candidate review = review(5);
        assertThat(Coalescing.plan(List.of(review), List.of(update)))
                .isEqualTo(new Plan(new Send(update, List.of()), List.of(review)));
    }

    @Test
    void aPlanNeedsAClaimedDelivery() {
        assertThatThrownBy(() -> Coalescing.plan(List.of(), List.of(update(2)))).isInstanceOf(IllegalArgumentException.class);
    }
}
