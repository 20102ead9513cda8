package dev.incidentplatform.notification.fanout;

import java.util.List;
import java.util.Set;

import dev.incidentplatform.notification.domain.Component;

/** One table of matching cases, run against the test oracle and against the fan-out's SQL. */
public final class RecipientRuleCases {

    public record Case(String name, Interests interests, List<Component> components, boolean receives) {
    }

    private static Interests follows(Set<String> services, Set<String> regions) {
        return new Interests(services, regions, null);
    }

    private static List<Component> hit(String service, String... regions) {
        return List.of(new Component(service, List.of(regions), "major_outage"));
    }

    public static final List<Case> ALL = List.of(
            new Case("no filters: everything", follows(Set.of(), Set.of()), hit("teams", "eu-west"), true),
            new Case("service matches, all regions", follows(Set.of("teams"), Set.of()), hit("teams", "eu-west"), true),
            new Case("other service", follows(Set.of("teams"), Set.of()), hit("exchange-online", "eu-west"), false),
            new Case("region matches, all services", follows(Set.of(), Set.of("eu-west")), hit("teams", "eu-west", "us-east"), true),
            new Case("other region", follows(Set.of(), Set.of("ap-south")), hit("teams", "eu-west", "us-east"), false),
            new Case("global reaches every region filter", follows(Set.of("teams"), Set.of("ap-south")), hit("teams", "global"), true),
            new Case("global of another service", follows(Set.of("teams"), Set.of("ap-south")), hit("exchange-online", "global"), false),
            new Case("service and region both match", follows(Set.of("teams", "azure-vm"), Set.of("eu-west", "us-east")),
                    hit("azure-vm", "us-east"), true),
            new Case("service matches, region does not", follows(Set.of("azure-vm"), Set.of("eu-west")), hit("azure-vm", "us-east"),
                    false),
            new Case("one of several components matches", follows(Set.of("teams"), Set.of("eu-west")),
                    List.of(new Component("exchange-online", List.of("global"), "partial_outage"),
                            new Component("teams", List.of("eu-west"), "operational")), true),
            new Case("service in one component, region in another", follows(Set.of("teams"), Set.of("eu-west")),
                    List.of(new Component("teams", List.of("us-east"), "major_outage"),
                            new Component("exchange-online", List.of("eu-west"), "major_outage")), false));

    private RecipientRuleCases() {
    }
}
