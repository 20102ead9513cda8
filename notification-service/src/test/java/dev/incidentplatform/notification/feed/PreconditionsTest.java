package dev.incidentplatform.notification.feed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import dev.incidentplatform.notification.feed.Preconditions.Outcome;
import dev.incidentplatform.platform.problem.ProblemException;

/** RFC 9110 §13.2.2 on a representation with ETag "abc" last modified at 08:49:37.5 on 6 November 1994. */
class PreconditionsTest {

    private static final String ETAG = "\"abc\"";
    private static final Optional<Instant> MODIFIED = Optional.of(Instant.parse("1994-11-06T08:49:37.500Z"));
    private static final String AT_MODIFICATION = "Sun, 06 Nov 1994 08:49:37 GMT";
    private static final String BEFORE = "Sun, 06 Nov 1994 08:49:36 GMT";

    private static Outcome conditional(List<String> ifNoneMatch, List<String> ifModifiedSince) {
        return Preconditions.evaluate(ETAG, MODIFIED, List.of(), List.of(), ifNoneMatch, ifModifiedSince);
    }

    @Test
    void ifNoneMatchComparesWeaklyAndAcceptsListsAndAnyTag() {
        assertThat(conditional(List.of("\"abc\""), List.of())).isEqualTo(Outcome.NOT_MODIFIED);
        assertThat(conditional(List.of("W/\"abc\""), List.of())).isEqualTo(Outcome.NOT_MODIFIED);
        assertThat(conditional(List.of("\"x\", W/\"abc\""), List.of())).isEqualTo(Outcome.NOT_MODIFIED);
        assertThat(conditional(List.of("\"x\"", "\"abc\""), List.of())).isEqualTo(Outcome.NOT_MODIFIED);
        assertThat(conditional(List.of("*"), List.of())).isEqualTo(Outcome.NOT_MODIFIED);
        assertThat(conditional(List.of("\"ab\", \"abcd\", \"a,bc\""), List.of())).isEqualTo(Outcome.SEND);
        assertThat(conditional(List.of(), List.of())).isEqualTo(Outcome.SEND);
    }

    @Test
    void ifModifiedSinceCountsOnlyWithoutIfNoneMatch() {
        assertThat(conditional(List.of(), List.of(AT_MODIFICATION))).isEqualTo(Outcome.NOT_MODIFIED);
        assertThat(conditional(List.of(), List.of(BEFORE))).isEqualTo(Outcome.SEND);
        assertThat(conditional(List.of("\"old\""), List.of(AT_MODIFICATION))).isEqualTo(Outcome.SEND);
        assertThat(conditional(List.of("\"abc\""), List.of(BEFORE))).isEqualTo(Outcome.NOT_MODIFIED);
        assertThat(Preconditions.evaluate(ETAG, Optional.empty(), List.of(), List.of(), List.of(), List.of(AT_MODIFICATION)))
                .isEqualTo(Outcome.SEND);
    }

    @Test
    void allThreeHttpDateFormatsAreReadAndAnythingElseIsIgnored() {
        assertThat(conditional(List.of(), List.of("Sunday, 06-Nov-94 08:49:37 GMT"))).isEqualTo(Outcome.NOT_MODIFIED);
        assertThat(conditional(List.of(), List.of("Sun Nov  6 08:49:37 1994"))).isEqualTo(Outcome.NOT_MODIFIED);
        assertThat(Preconditions.date(List.of("Sunday, 06-Nov-94 08:49:37 GMT"))).contains(Instant.parse("1994-11-06T08:49:37Z"));
        for (String ignored : new String[] { "yesterday", "", "1994-11-06T08:49:37Z", "Mon, 06 Nov 1994 08:49:37 GMT" }) {
            assertThat(conditional(List.of(), List.of(ignored))).as(ignored).isEqualTo(Outcome.SEND);
        }
        assertThat(conditional(List.of(), List.of(AT_MODIFICATION, AT_MODIFICATION))).isEqualTo(Outcome.SEND);
    }

    @Test
    void ifMatchAndIfUnmodifiedSinceComeFirstAnd412WhenFalse() {
        assertThat(Preconditions.evaluate(ETAG, MODIFIED, List.of("\"abc\""), List.of(), List.of("\"abc\""), List.of()))
                .isEqualTo(Outcome.NOT_MODIFIED);
        assertThat(Preconditions.evaluate(ETAG, MODIFIED, List.of("*"), List.of(), List.of(), List.of())).isEqualTo(Outcome.SEND);
        ProblemException weak = catchThrowableOfType(ProblemException.class,
                () -> Preconditions.evaluate(ETAG, MODIFIED, List.of("W/\"abc\""), List.of(), List.of(), List.of()));
        assertThat(weak.status()).isEqualTo(412);
        assertThat(catchThrowableOfType(ProblemException.class, () -> Preconditions.evaluate(ETAG, MODIFIED, List.of(),
                List.of(BEFORE), List.of(), List.of())).status()).isEqualTo(412);
        assertThat(Preconditions.evaluate(ETAG, MODIFIED, List.of(), List.of(AT_MODIFICATION), List.of(), List.of()))
                .isEqualTo(Outcome.SEND);
        // If-Match present: If-Unmodified-Since is not evaluated.
        assertThat(Preconditions.evaluate(ETAG, MODIFIED, List.of("\"abc\""), List.of(BEFORE), List.of(), List.of()))
                .isEqualTo(Outcome.SEND);
    }

    @Test
    void anEntityTagListThatBreaksTheSyntaxIs400NamingTheHeader() {
        for (String bad : new String[] { "abc", "\"abc", "W/abc", "\"a\"b", "\"a\" \"b\" x", "w/\"abc\"", ",", "\"a\"\"b\"x",
                "\"a\u0007\"" }) {
            ProblemException refusal = catchThrowableOfType(ProblemException.class, () -> conditional(List.of(bad), List.of()));
            assertThat(refusal).as(bad).isNotNull();
            assertThat(refusal.status()).isEqualTo(400);
            assertThat(refusal.errors().get(0).field()).isEqualTo("If-None-Match");
        }
    }
}
