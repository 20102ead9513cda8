package dev.incidentplatform.platform.links;

import java.util.Optional;

import io.smallrye.config.ConfigMapping;

/** Where clients reach this service from outside: the base of the absolute links it writes (in mails, say). */
@ConfigMapping(prefix = "platform.links")
public interface PublicBaseUrlConfig {

    /** https://host[:port][/prefix]; http only for a service reached on this machine. Required where links are written. */
    Optional<String> publicBaseUrl();
}
