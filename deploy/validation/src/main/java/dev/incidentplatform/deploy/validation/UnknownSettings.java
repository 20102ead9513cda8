package dev.incidentplatform.deploy.validation;

import java.util.Collection;
import java.util.List;

/** The variables of an environment that name no setting the service reads: a typo there is silently ignored at run time. */
public final class UnknownSettings {

    private UnknownSettings() {
    }

    public static List<String> in(Collection<String> variables, ServiceSettings settings) {
        return variables.stream().filter(variable -> !settings.knows(variable)).sorted().toList();
    }
}
