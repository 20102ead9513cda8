package dev.incidentplatform.platform;

import org.junit.jupiter.api.Test;

import dev.incidentplatform.testsupport.PlainJava;

class ArchitectureTest {

    @Test
    void packagesHaveNoCycles() {
        PlainJava.assertNoPackageCycles("dev.incidentplatform.platform");
    }
}
