package dev.incidentplatform.incident;

import org.junit.jupiter.api.Test;

import dev.incidentplatform.testsupport.PlainJava;

class ArchitectureTest {

    @Test
    void packagesHaveNoCycles() {
        PlainJava.assertNoPackageCycles("dev.incidentplatform.incident");
    }
}
