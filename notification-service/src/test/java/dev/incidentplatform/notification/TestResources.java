package dev.incidentplatform.notification;

import dev.incidentplatform.testsupport.JwtResource;
import dev.incidentplatform.testsupport.KafkaResource;
import dev.incidentplatform.testsupport.MailResource;
import dev.incidentplatform.testsupport.PostgresResource;
import dev.incidentplatform.testsupport.contract.OpenApiContractResource;
import dev.incidentplatform.notification.support.OtherSmtpServersResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;

/**
 * The real infrastructure every {@code @QuarkusTest} of this service runs against, started once per test JVM
 * (one set of global resources, so the application is not restarted between test classes), plus an SMTP server that
 * refuses every recipient (mailer {@code rejecting}) and one that never answers (mailer {@code silent}), see
 * RecipientRoutingTransport; and every REST Assured call is checked against the service's own OpenAPI document.
 */
@WithTestResource(value = KafkaResource.class, scope = TestResourceScope.GLOBAL,
        initArgs = @ResourceArg(name = KafkaResource.TOPICS, value = "incident-events:6,credit-events:6,incident-events.notification-service.dlq:1,"
                + "credit-events.notification-service.dlq:1,notification-service-smoke:1"))
@WithTestResource(value = PostgresResource.class, scope = TestResourceScope.GLOBAL,
        initArgs = @ResourceArg(name = PostgresResource.DATABASE_PREFIX, value = "notification"))
@WithTestResource(value = JwtResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = MailResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = OtherSmtpServersResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = OpenApiContractResource.class, scope = TestResourceScope.GLOBAL)
public final class TestResources {

    private TestResources() {
    }
}
