package dev.incidentplatform.testsupport.contract;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** What every refusal of every service must be: RFC 9457 problem+json that betrays nothing of the implementation. */
final class ProblemAnswers {

    /** What betrays the implementation: Java packages, classes, stack frames, SQL and driver messages. */
    private static final Pattern LEAK = Pattern.compile("(\\bjava\\.[a-z]|\\bjavax?\\.[a-z]|\\bjakarta\\.[a-z]|com\\.fasterxml"
            + "|org\\.postgresql|io\\.quarkus|io\\.vertx|org\\.jboss|org\\.hibernate|dev\\.incidentplatform|\\bat [\\w$.]+\\("
            + "|\\w+Exception\\b|\\w+Error\\b|[A-Z]\\w+\\$[A-Z]\\w+|SQLState|ERROR: |syntax error at|PSQL|java\\.util"
            + "|\\bclass [A-Z]\\w+|\\bnull pointer\\b)");
    private static final ObjectMapper JSON = new ObjectMapper();

    private ProblemAnswers() {
    }

    /**
     * Asserts that the answer is problem+json with type, title, its own status and a detail, and no leak; returns the
     * problem for further checks.
     */
    static JsonNode assertProblem(String context, RawHttp.Answer answer) {
        assertThat(answer.header("content-type")).as(context + " (Content-Type; headers " + answer.headers() + ")")
                .startsWith("application/problem+json");
        JsonNode problem;
        try {
            problem = JSON.readTree(answer.body());
        } catch (IOException e) {
            throw new AssertionError(context + ": not JSON", e);
        }
        assertThat(problem.path("type").isTextual()).as(context + " (type)").isTrue();
        assertThat(problem.path("title").isTextual()).as(context + " (title)").isTrue();
        assertThat(problem.path("status").asInt()).as(context + " (status)").isEqualTo(answer.status());
        assertThat(problem.path("detail").asText("")).as(context + " (detail)").isNotBlank();
        Matcher leak = LEAK.matcher(answer.body());
        assertThat(leak.find()).as(context + " betrays the implementation: " + (leak.find(0) ? leak.group() : "")).isFalse();
        return problem;
    }
}
