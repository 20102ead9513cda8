package dev.incidentplatform.platform.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.tuple;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import dev.incidentplatform.platform.problem.Problem;
import dev.incidentplatform.platform.problem.ProblemException;

class QueryParametersTest {

    private static final Set<String> KNOWN = Set.of("service", "region");

    @Test
    void knownParametersGivenOnceWithAValuePass() {
        assertThatCode(() -> QueryParameters.onlyKnown(Map.of("service", List.of("teams")), KNOWN)).doesNotThrowAnyException();
        assertThatCode(() -> QueryParameters.onlyKnown(Map.of(), KNOWN)).doesNotThrowAnyException();
    }

    @Test
    void everyUnknownEmptyOrRepeatedParameterIsNamedInOne400() {
        Map<String, List<String>> parameters = new LinkedHashMap<>();
        parameters.put("servcie", List.of("teams"));
        parameters.put("region", List.of(""));
        parameters.put("service", List.of("a", "b"));

        ProblemException refusal = catchThrowableOfType(ProblemException.class,
                () -> QueryParameters.onlyKnown(parameters, KNOWN));

        assertThat(refusal.status()).isEqualTo(400);
        assertThat(refusal.errors()).extracting(Problem.FieldError::field, Problem.FieldError::reason).containsExactly(
                tuple("servcie", "unknown filter; known: region, service"),
                tuple("region", "must not be empty; leave the parameter out for its default"),
                tuple("service", "must be given once"));
        assertThat(refusal.getMessage()).startsWith("Invalid query parameters: servcie: unknown filter").endsWith("(and 2 more)");
    }
}
