package dev.incidentplatform.notification.domain;

import org.junit.jupiter.api.Test;

import dev.incidentplatform.testsupport.PlainJava;

class DomainIsPlainJavaTest {

    @Test
    void theDomainImportsNoFramework() {
        PlainJava.assertFrameworkFree("dev.incidentplatform.notification.domain");
    }
}
