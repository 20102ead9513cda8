package dev.incidentplatform.compensation;

import org.junit.jupiter.api.Test;

import dev.incidentplatform.testsupport.PlainJava;

/** The service's packages form no cycle, and its domain (the credit rule among it) is plain Java. */
class ArchitectureTest {

    @Test
    void packagesAreFreeOfCycles() {
        PlainJava.assertNoPackageCycles("dev.incidentplatform.compensation");
    }

    @Test
    void theDomainIsPlainJava() {
        PlainJava.assertFrameworkFree("dev.incidentplatform.compensation.domain");
    }
}
