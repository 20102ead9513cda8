package dev.incidentplatform.platform.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.YearMonth;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

import dev.incidentplatform.platform.problem.JsonProblems;
import dev.incidentplatform.platform.problem.ProblemException;

class StrictJsonTest {

    record Component(String service, List<String> regions) {
    }

    record Request(String title, Integer count, Boolean flag, BigDecimal amount, Instant at, YearMonth month,
            List<Component> components) {
    }

    private final ObjectMapper json = StrictJson.configure(JsonMapper.builder().build());

    @Test
    void readsAWellFormedRequest() throws Exception {
        Request request = json.readValue("""
                {"title":"Outage","count":3,"flag":true,"amount":12.50,"at":"2024-07-19T04:09:00Z","month":"2024-07",
                 "components":[{"service":"azure-vm","regions":["eu-west"]}]}""", Request.class);
        assertThat(request.amount()).isEqualByComparingTo("12.50");
        assertThat(request.at()).isEqualTo(Instant.parse("2024-07-19T04:09:00Z"));
        assertThat(request.month()).isEqualTo(YearMonth.of(2024, 7));
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "{\"title\":\"a\",\"title\":\"b\"}",
            "{\"title\":\"a\"} x",
            "{\"title\":\"a\"}{\"title\":\"b\"}",
            "{\"title\":1}",
            "{\"title\":true}",
            "{\"count\":\"3\"}",
            "{\"count\":3.5}",
            "{\"flag\":\"true\"}",
            "{\"flag\":1}",
            "{\"amount\":\"12\"}",
            "{\"unknown\":1}",
            "{\"title\":\"a\\u0000b\"}",
            "{\"title\":\"\\ud800\"}",
            "{\"title\":\"\\udc00x\"}",
            "{\"title\":\"bell\\u0007\"}",
            "{\"components\":[null]}",
            "{\"components\":[{\"service\":\"x\",\"regions\":[null]}]}",
            "{\"components\":{\"service\":\"x\"}}",
            "{\"at\":\"2024-07-19T24:00:00Z\"}",
            "{\"at\":\"2016-12-31T23:59:60Z\"}",
            "{\"at\":\"2024-07-19T04:09:00+02:00\"}",
            "{\"at\":\"1969-12-31T23:59:59Z\"}",
            "{\"at\":\"2201-01-01T00:00:00Z\"}",
            "{\"at\":\"2024-02-30T00:00:00Z\"}",
            "{\"at\":1721362140}",
            "{\"month\":\"0000-01\"}",
            "{\"month\":\"2024-13\"}",
            "{\"month\":\"2024-7\"}",
            "{\"amount\":1" + "0000000000000000000000000000000000000000000" + "}",
    })
    void refusesWhatIsNotTheDialect(String body) {
        assertThatThrownBy(() -> json.readValue(body, Request.class)).isInstanceOf(JsonProcessingException.class)
                .satisfies(e -> {
                    ProblemException problem = JsonProblems.of((JsonProcessingException) e);
                    assertThat(problem.status()).isEqualTo(400);
                    assertThat(problem.getMessage()).doesNotContainPattern("java\\.|Request|Component|\\$|Exception");
                });
    }

    @Test
    void refusesDeepNesting() {
        String deep = "[".repeat(StrictJson.MAX_NESTING_DEPTH + 5) + "]".repeat(StrictJson.MAX_NESTING_DEPTH + 5);
        assertThatThrownBy(() -> json.readTree(deep)).isInstanceOf(JsonProcessingException.class);
    }

    @Test
    void namesTheFieldAndTheRule() {
        assertThatThrownBy(() -> json.readValue("{\"components\":[{\"service\":\"x\",\"regions\":[\"a\",null]}]}", Request.class))
                .satisfies(e -> {
                    ProblemException problem = JsonProblems.of((JsonProcessingException) e);
                    assertThat(problem.errors()).singleElement().satisfies(error -> {
                        assertThat(error.field()).isEqualTo("components[0].regions[1]");
                        assertThat(error.reason()).isEqualTo("must not be null");
                    });
                });
        assertThatThrownBy(() -> json.readValue("{\"title\":\"\\ud800\"}", Request.class)).satisfies(e -> {
            ProblemException problem = JsonProblems.of((JsonProcessingException) e);
            assertThat(problem.errors()).singleElement().satisfies(error -> {
                assertThat(error.field()).isEqualTo("title");
                assertThat(error.reason()).contains("unpaired surrogate");
            });
        });
        assertThatThrownBy(() -> json.readValue("{\"title\":\"a\",\"title\":\"b\"}", Request.class)).satisfies(e -> {
            ProblemException problem = JsonProblems.of((JsonProcessingException) e);
            assertThat(problem.getMessage()).contains("title appears twice");
            assertThat(problem.errors()).singleElement().satisfies(error -> assertThat(error.field()).isEqualTo("title"));
        });
        assertThatThrownBy(() -> json.readValue("{\"components\":[{\"service\":\"a\",\"service\":\"b\"}]}", Request.class))
                .satisfies(e -> assertThat(JsonProblems.of((JsonProcessingException) e).getMessage())
                        .contains("components[0].service appears twice"));
        assertThatThrownBy(() -> json.readValue("{\"count\":\"3\"}", Request.class)).satisfies(e -> assertThat(
                JsonProblems.of((JsonProcessingException) e).errors().get(0).reason()).isEqualTo("must be a whole number"));
    }
}
