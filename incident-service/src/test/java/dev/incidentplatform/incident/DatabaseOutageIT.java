package dev.incidentplatform.incident;

import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.incidentplatform.testsupport.DatabaseOutageDrill;
import dev.incidentplatform.testsupport.ServiceProcess;

/** Opening an incident while the database is unreachable: 503 with Retry-After, nothing stored, then it works again. */
class DatabaseOutageIT {

    @Test
    void aCommandWhileTheDatabaseIsUnreachableIsRefusedWith503AndNotApplied() {
        try (DatabaseOutageDrill drill = DatabaseOutageDrill.start("incident-service",
                ServiceProcess.infrastructureConfig("incident_outage_it", Map.of("incident-events", 6)))) {
            drill.assertCommandRefused("incident-writer", "/api/incidents", () -> """
                    {"title":"Database outage drill","severity":"SEV3","message":"Checking.","components":[{"service":
                    "azure-vm","regions":["eu-west"],"status":"degraded_performance"}]}""", "event");
        }
    }
}
