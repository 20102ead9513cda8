package dev.incidentplatform.notification.feed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.Collections;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.incidentplatform.platform.problem.Problem;
import dev.incidentplatform.platform.problem.ProblemException;

class FeedFilterTest {

    @Test
    void valuesAreCommaSeparatedAndKeptSortedWithoutRepetitions() {
        FeedFilter filter = FeedFilter.of(Map.of("service", List.of("teams,exchange-online,teams"), "region", List.of("global,eu-west")));

        assertThat(filter.services()).containsExactly("exchange-online", "teams");
        assertThat(filter.regions()).containsExactly("eu-west", "global");
        assertThat(filter.query()).isEqualTo("?service=exchange-online%2Cteams&region=eu-west%2Cglobal");
        assertThat(FeedFilter.of(Map.of("service", List.of("teams,exchange-online"))))
                .isEqualTo(FeedFilter.of(Map.of("service", List.of("exchange-online,teams"))));
    }

    @Test
    void noParametersIsNoFilter() {
        FeedFilter filter = FeedFilter.of(Map.of());

        assertThat(filter.none()).isTrue();
        assertThat(filter.query()).isEmpty();
        assertThat(FeedFilter.of(Map.of("region", List.of("eu-west"))).none()).isFalse();
    }

    @Test
    void everyBrokenValueIsNamedWithItsRule() {
        ProblemException refusal = catchThrowableOfType(ProblemException.class, () -> FeedFilter.of(Map.of(
                "service", List.of("Teams,,ok," + "a".repeat(65)), "region", List.of("eu_west"))));

        assertThat(refusal.status()).isEqualTo(400);
        assertThat(refusal.errors()).extracting(Problem.FieldError::field).containsExactlyInAnyOrder("service", "service",
                "service", "region");
        assertThat(refusal.errors()).extracting(Problem.FieldError::reason).contains(
                "'Teams' is not a service id: 1 to 64 of a-z, 0-9, '.', '_', '-', starting with a letter or digit",
                "has an empty value; separate values with single commas, e.g. service=a,b",
                "'eu_west' is not a region id: 1 to 64 of a-z, 0-9, '-', starting with a letter or digit");
        assertThat(refusal.errors()).extracting(Problem.FieldError::reason).anyMatch(reason -> reason.startsWith("'"
                + "a".repeat(40) + "...'"));
    }

    @Test
    void unknownRepeatedAndEmptyParametersAreRefusedAsEverywhereElse() {
        assertThat(catchThrowableOfType(ProblemException.class, () -> FeedFilter.of(Map.of("services", List.of("teams"))))
                .errors()).extracting(Problem.FieldError::reason).containsExactly("unknown filter; known: region, service");
        assertThat(catchThrowableOfType(ProblemException.class, () -> FeedFilter.of(Map.of("service", List.of("a", "b"))))
                .errors()).extracting(Problem.FieldError::reason).containsExactly("must be given once");
        assertThat(catchThrowableOfType(ProblemException.class, () -> FeedFilter.of(Map.of("region", List.of(""))))
                .errors()).extracting(Problem.FieldError::field).contains("region");
    }

    @Test
    void aListIsBoundedLikeASubscribersFilter() {
        String many = String.join(",", Collections.nCopies(101, "teams"));
        assertThat(catchThrowableOfType(ProblemException.class, () -> FeedFilter.of(Map.of("service", List.of(many))))
                .errors()).extracting(Problem.FieldError::reason).containsExactly("must list at most 100 values, lists 101");
    }
}
