package dev.incidentplatform.notification;

import org.junit.jupiter.api.Test;

import dev.incidentplatform.testsupport.PlainJava;

/** The service's packages depend on each other in one direction only, so each can be read (and changed) on its own. */
class ArchitectureTest {

    @Test
    void noPackageCycles() {
        PlainJava.assertNoPackageCycles("dev.incidentplatform.notification");
    }
}
