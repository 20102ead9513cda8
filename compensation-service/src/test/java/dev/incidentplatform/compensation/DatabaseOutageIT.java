package dev.incidentplatform.compensation;

import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import dev.incidentplatform.testsupport.DatabaseOutageDrill;
import dev.incidentplatform.testsupport.ServiceProcess;

/** Recording a contract while the database is unreachable: 503 with Retry-After, nothing stored, then it works again. */
class DatabaseOutageIT {

    @Test
    void aCommandWhileTheDatabaseIsUnreachableIsRefusedWith503AndNotApplied() {
        try (DatabaseOutageDrill drill = DatabaseOutageDrill.start("compensation-service", ServiceProcess
                .infrastructureConfig("compensation_outage_it", Map.of("incident-events", 6, "credit-events", 6)))) {
            drill.assertCommandRefused("billing-admin", "/api/contracts", () -> "{\"customerId\":\"drill-" + UUID.randomUUID()
                    + "\",\"service\":\"azure-vm\",\"regions\":[\"eu-west\"],\"monthlyFee\":{\"amount\":\"100.00\","
                    + "\"currency\":\"USD\"},\"policyId\":\"azure-99.9\"}", "contract");
        }
    }
}
