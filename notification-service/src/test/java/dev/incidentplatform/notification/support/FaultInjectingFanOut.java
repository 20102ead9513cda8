package dev.incidentplatform.notification.support;

import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import javax.sql.DataSource;

import jakarta.annotation.Priority;
import jakarta.enterprise.inject.Alternative;
import jakarta.inject.Singleton;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.incidentplatform.notification.domain.event.NotificationEvent;
import dev.incidentplatform.notification.fanout.FanOut;
import dev.incidentplatform.platform.consume.EventHandler.Coordinates;
import dev.incidentplatform.platform.tracing.Tracing;

/**
 * The fan-out of every {@code @QuarkusTest}, which fails (as a bug in it would: the same way every time) for the events
 * a test names, and applies every other event as the real one does. {@link #heal} is the fix.
 */
@Alternative
@Priority(1)
@Singleton
public class FaultInjectingFanOut extends FanOut {

    private static final Set<UUID> FAILING = ConcurrentHashMap.newKeySet();

    public FaultInjectingFanOut(DataSource dataSource, ObjectMapper mapper, Tracing tracing) {
        super(dataSource, mapper, tracing);
    }

    public static void breakFor(UUID eventId) {
        FAILING.add(eventId);
    }

    public static void heal(UUID eventId) {
        FAILING.remove(eventId);
    }

    @Override
    public Outcome apply(NotificationEvent event, Coordinates source) {
        if (FAILING.contains(event.eventId())) {
            throw new IllegalStateException("Injected fault: the fan-out cannot apply event " + event.eventId());
        }
        return super.apply(event, source);
    }
}
