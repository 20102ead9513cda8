package dev.incidentplatform.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class EventContractsTest {

    private static final EventContracts CONTRACTS = EventContracts.fromRepository();

    @Test
    void everyEventTypeOfTheDesignHasAVersionOneSchemaWithExamplesOfBothKinds() {
        assertThat(CONTRACTS.eventTypeVersions()).containsExactlyInAnyOrder(
                "incident-opened/v1", "update-posted/v1", "review-published/v1", "credit-issued/v1");
        for (String typeVersion : CONTRACTS.eventTypeVersions()) {
            String type = typeVersion.substring(0, typeVersion.indexOf('/'));
            assertThat(CONTRACTS.examples(type, 1, true)).as("valid examples of " + type).isNotEmpty();
            assertThat(CONTRACTS.examples(type, 1, false)).as("invalid examples of " + type).hasSizeGreaterThanOrEqualTo(3);
        }
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("validExamples")
    void validExamplesPass(String eventType, String example, Path file) throws IOException {
        assertThat(CONTRACTS.validate(eventType, 1, Files.readString(file))).isEmpty();
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("invalidExamples")
    void invalidExamplesFail(String eventType, String example, Path file) throws IOException {
        assertThat(CONTRACTS.validate(eventType, 1, Files.readString(file))).isNotEmpty();
    }

    @Test
    void anUnknownContractIsAnErrorNotAPass() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> CONTRACTS.validate("incident-closed", 1, "{}"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    static Stream<Arguments> validExamples() {
        return examples(true);
    }

    static Stream<Arguments> invalidExamples() {
        return examples(false);
    }

    private static Stream<Arguments> examples(boolean valid) {
        return CONTRACTS.eventTypeVersions().stream()
                .map(typeVersion -> typeVersion.substring(0, typeVersion.indexOf('/')))
                .flatMap(type -> CONTRACTS.examples(type, 1, valid).stream()
                        .map(file -> Arguments.of(type, file.getFileName().toString(), file)));
    }
}
