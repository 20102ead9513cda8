package dev.incidentplatform.testsupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class InfrastructureModeTest {

    @Test
    void withoutDockerTheEmbeddedServersAreChosen() {
        assertThat(InfrastructureMode.select(null, () -> false)).isEqualTo(InfrastructureMode.EMBEDDED);
        assertThat(InfrastructureMode.select("auto", () -> false)).isEqualTo(InfrastructureMode.EMBEDDED);
    }

    @Test
    void withDockerContainersAreChosenAsQuarkusUsersExpect() {
        assertThat(InfrastructureMode.select(null, () -> true)).isEqualTo(InfrastructureMode.CONTAINERS);
    }

    @Test
    void anExplicitChoiceWins() {
        assertThat(InfrastructureMode.select("embedded", () -> true)).isEqualTo(InfrastructureMode.EMBEDDED);
        assertThat(InfrastructureMode.select(" Containers ", () -> true)).isEqualTo(InfrastructureMode.CONTAINERS);
    }

    @Test
    void containersWithoutDockerIsAClearError() {
        assertThatThrownBy(() -> InfrastructureMode.select("containers", () -> false))
                .hasMessageContaining("no Docker engine");
        assertThatThrownBy(() -> InfrastructureMode.select("kubernetes", () -> false))
                .hasMessageContaining("embedded, containers or auto");
    }

    @Test
    void thisMachineGetsTheModeItsDockerEngineAllows() {
        // On the development machines (no Docker engine) this proves the embedded path is the one taken.
        InfrastructureMode expected = InfrastructureMode.dockerAvailable() ? InfrastructureMode.CONTAINERS : InfrastructureMode.EMBEDDED;
        if (System.getenv(InfrastructureMode.SETTING) == null && System.getProperty("test.infrastructure") == null) {
            assertThat(InfrastructureMode.current()).isEqualTo(expected);
        }
    }
}
