package dev.incidentplatform.compensation;

import dev.incidentplatform.testsupport.JwtResource;
import dev.incidentplatform.testsupport.KafkaResource;
import dev.incidentplatform.testsupport.PostgresResource;
import dev.incidentplatform.testsupport.contract.OpenApiContractResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;

/**
 * The real infrastructure every {@code @QuarkusTest} of this service runs against, started once per test JVM
 * (one set of global resources, so the application is not restarted between test classes).
 */
@WithTestResource(value = KafkaResource.class, scope = TestResourceScope.GLOBAL,
        initArgs = @ResourceArg(name = KafkaResource.TOPICS, value = "incident-events:6,credit-events:6,incident-events.compensation-service.dlq:1,compensation-service-smoke:1"))
@WithTestResource(value = PostgresResource.class, scope = TestResourceScope.GLOBAL,
        initArgs = @ResourceArg(name = PostgresResource.DATABASE_PREFIX, value = "compensation"))
@WithTestResource(value = JwtResource.class, scope = TestResourceScope.GLOBAL)
// Every REST Assured call of every test is checked against the OpenAPI document the service serves.
@WithTestResource(value = OpenApiContractResource.class, scope = TestResourceScope.GLOBAL)
public final class TestResources {

    private TestResources() {
    }
}
