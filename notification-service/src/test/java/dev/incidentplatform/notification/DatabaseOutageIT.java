package dev.incidentplatform.notification;

import java.util.UUID;

import org.junit.jupiter.api.Test;

import dev.incidentplatform.notification.support.PackagedService;
import dev.incidentplatform.testsupport.DatabaseOutageDrill;

/** Adding a subscriber while the database is unreachable: 503 with Retry-After, nothing stored, then it works again. */
class DatabaseOutageIT {

    @Test
    void aCommandWhileTheDatabaseIsUnreachableIsRefusedWith503AndNotApplied() {
        try (DatabaseOutageDrill drill = DatabaseOutageDrill.start("notification-service",
                PackagedService.config("notification_outage_it"))) {
            drill.assertCommandRefused("subscriber-admin", "/api/subscribers",
                    () -> "{\"email\":\"drill-" + UUID.randomUUID() + "@customer.example\"}", "subscriber");
        }
    }
}
