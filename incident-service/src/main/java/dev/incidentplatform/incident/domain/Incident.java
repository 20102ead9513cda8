package dev.incidentplatform.incident.domain;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import dev.incidentplatform.incident.domain.CommandRejected.Reason;
import dev.incidentplatform.incident.domain.IncidentCommand.OpenIncident;
import dev.incidentplatform.incident.domain.IncidentCommand.PostUpdate;
import dev.incidentplatform.incident.domain.IncidentCommand.PublishReview;
import dev.incidentplatform.incident.domain.IncidentEvent.IncidentOpened;
import dev.incidentplatform.incident.domain.IncidentEvent.ReviewPublished;
import dev.incidentplatform.incident.domain.IncidentEvent.UpdatePosted;

/**
 * The incident aggregate: its state is the fold of its events, and it decides, for each command, the one event that
 * records it or why it is refused. It never touches a clock or a database: {@code now} comes in with the command.
 */
public final class Incident {

    /** How far ahead of our clock a client's clock may run before its times count as "in the future". */
    public static final Duration CLOCK_SKEW = Duration.ofMinutes(2);
    public static final int MAX_TITLE = 200;
    public static final int MAX_TEXT = 10_000;
    public static final int MAX_MEASURES = 50;
    public static final int MAX_MEASURE = 2_000;

    private UUID id;
    private String title;
    private Severity severity;
    private IncidentStatus status;
    private ComponentMap components;
    private Instant startedAt;
    private String openedBy;
    private String lastMessage;
    /** When the latest status change took effect: the last update's effectiveAt, else startedAt. */
    private Instant lastEffectiveAt;
    private Instant resolvedAt;
    private int version;
    private final List<UpdatePosted> updates = new ArrayList<>();
    private ReviewPublished review;

    private Incident() {
    }

    /** The state after {@code history}, which starts with the incident's opening. */
    public static Incident from(List<? extends IncidentEvent> history) {
        if (history.isEmpty() || !(history.get(0) instanceof IncidentOpened)) {
            throw new IllegalArgumentException("An incident's history starts with " + IncidentOpened.TYPE);
        }
        Incident incident = new Incident();
        history.forEach(incident::apply);
        return incident;
    }

    // ---- decisions ----------------------------------------------------------------------------------------------

    public static IncidentOpened open(OpenIncident command, Instant now) {
        List<Violation> violations = new ArrayList<>();
        requireText(violations, "title", command.title(), MAX_TITLE);
        if (command.severity() == null) {
            violations.add(Violation.of("severity", "is required: one of SEV1, SEV2, SEV3, SEV4"));
        }
        if (command.status() == IncidentStatus.RESOLVED) {
            violations.add(Violation.of("status", "an incident opens unresolved; post a 'resolved' update to close it"));
        }
        requireText(violations, "message", command.message(), MAX_TEXT);
        if (command.startedAt() != null && command.startedAt().isAfter(now.plus(CLOCK_SKEW))) {
            violations.add(Violation.of("startedAt", "lies in the future (" + command.startedAt() + "); it may lie in the past"));
        }
        if (command.components() == null || command.components().isEmpty()) {
            violations.add(Violation.of("components", "at least one affected component is required"));
        } else {
            validateComponents(violations, command.components());
        }
        requireActor(violations, command.actor());
        rejectIfAny(violations);

        ComponentMap components = ComponentMap.of(command.components());
        IncidentStatus status = command.status() == null ? IncidentStatus.INVESTIGATING : command.status();
        Instant startedAt = command.startedAt() == null ? now : command.startedAt();
        return new IncidentOpened(command.incidentId(), command.title().strip(), command.severity(), components.impact(),
                status, components.toComponents(), startedAt, command.message(), command.actor());
    }

    public UpdatePosted postUpdate(PostUpdate command, Instant now) {
        List<Violation> violations = new ArrayList<>();
        if (command.status() == null) {
            violations.add(Violation.of("status", "is required: one of investigating, identified, monitoring, resolved"));
        }
        requireText(violations, "message", command.message(), MAX_TEXT);
        List<Component> changes = command.components() == null ? List.of() : command.components();
        validateComponents(violations, changes);
        Instant effectiveAt = command.effectiveAt();
        if (effectiveAt != null) {
            if (effectiveAt.isAfter(now.plus(CLOCK_SKEW))) {
                violations.add(Violation.of("effectiveAt", "lies in the future (" + effectiveAt + ")"));
            } else if (effectiveAt.isBefore(lastEffectiveAt)) {
                violations.add(Violation.of("effectiveAt", "is before the previous update's effectiveAt ("
                        + lastEffectiveAt + "); updates are recorded in the order they took effect"));
            }
        }
        requireActor(violations, command.actor());
        rejectIfAny(violations);
        if (status == IncidentStatus.RESOLVED) {
            throw CommandRejected.conflict("status", "the incident was resolved at " + resolvedAt
                    + " and takes no more status updates");
        }
        ComponentMap next = components.with(changes);
        if (next.toComponents().size() > ComponentMap.MAX_ENTRIES) {
            throw new CommandRejected(Reason.INVALID, List.of(Violation.of("components",
                    "would give the incident more than " + ComponentMap.MAX_ENTRIES + " components")));
        }
        Instant effective = effectiveAt != null ? effectiveAt : later(now, lastEffectiveAt);
        return new UpdatePosted(id, command.updateId(), command.status(), command.message(), next.toComponents(), effective,
                command.actor());
    }

    public ReviewPublished publishReview(PublishReview command) {
        List<Violation> violations = new ArrayList<>();
        requireText(violations, "rootCause", command.rootCause(), MAX_TEXT);
        requireText(violations, "impactSummary", command.impactSummary(), MAX_TEXT);
        List<String> measures = command.preventativeMeasures() == null ? List.of() : command.preventativeMeasures();
        if (measures.size() > MAX_MEASURES) {
            violations.add(Violation.of("preventativeMeasures", "lists " + measures.size() + " measures; at most " + MAX_MEASURES));
        }
        for (int i = 0; i < measures.size(); i++) {
            requireText(violations, "preventativeMeasures.measure", measures.get(i), MAX_MEASURE, i);
        }
        if (command.correctsVersion() != null && command.correctsVersion() < 1) {
            violations.add(Violation.of("correctsVersion", "is a review version, 1 or more"));
        }
        requireActor(violations, command.actor());
        rejectIfAny(violations);
        if (status != IncidentStatus.RESOLVED) {
            throw CommandRejected.conflict("status", "a review is published only once the incident is resolved; it is "
                    + status.wire());
        }
        if (review == null && command.correctsVersion() != null) {
            throw CommandRejected.conflict("correctsVersion", "there is no review to correct yet; omit correctsVersion");
        }
        if (review != null && command.correctsVersion() == null) {
            throw CommandRejected.conflict("correctsVersion", "a review (version " + review.reviewVersion()
                    + ") was already published; to correct it send correctsVersion: " + review.reviewVersion());
        }
        if (review != null && command.correctsVersion() != review.reviewVersion()) {
            throw CommandRejected.conflict("correctsVersion", "the review is at version " + review.reviewVersion()
                    + ", not " + command.correctsVersion());
        }
        UUID reviewId = review == null ? command.reviewId() : review.reviewId();
        int reviewVersion = review == null ? 1 : review.reviewVersion() + 1;
        return new ReviewPublished(id, reviewId, reviewVersion, command.rootCause(), command.impactSummary(), measures,
                command.actor());
    }

    // ---- evolution ----------------------------------------------------------------------------------------------

    public Incident apply(IncidentEvent event) {
        // Java 17: no pattern matching for switch yet.
        if (event instanceof IncidentOpened opened) {
            id = opened.incidentId();
            title = opened.title();
            severity = opened.severity();
            status = opened.status();
            components = ComponentMap.of(opened.components());
            startedAt = opened.startedAt();
            openedBy = opened.author();
            lastMessage = opened.message();
            lastEffectiveAt = opened.startedAt();
        } else if (event instanceof UpdatePosted update) {
            status = update.status();
            // The update carries every component as of itself, so it replaces the map, it does not patch it.
            components = ComponentMap.of(update.components());
            lastMessage = update.message();
            lastEffectiveAt = update.effectiveAt();
            if (update.status() == IncidentStatus.RESOLVED) {
                resolvedAt = update.effectiveAt();
            }
            updates.add(update);
        } else if (event instanceof ReviewPublished published) {
            review = published;
        }
        version++;
        return this;
    }

    // ---- validation ---------------------------------------------------------------------------------------------

    static void validateComponents(List<Violation> violations, List<Component> components) {
        if (components.size() > ComponentMap.MAX_ENTRIES) {
            violations.add(Violation.of("components", "lists " + components.size() + " components; at most "
                    + ComponentMap.MAX_ENTRIES));
            return;
        }
        Set<String> pairs = new HashSet<>();
        for (int i = 0; i < components.size(); i++) {
            Component component = components.get(i);
            if (component == null) {
                violations.add(Violation.at("components.entry", "is required: {service, regions, status}", i));
                continue;
            }
            if (component.service() == null || component.service().isBlank()) {
                violations.add(Violation.at("components.service", "is required", i));
            } else if (!Component.isService(component.service())) {
                violations.add(Violation.at("components.service", Component.SERVICE_RULE + ": " + quoted(component.service()), i));
            }
            if (component.status() == null) {
                violations.add(Violation.at("components.status", "is required: one of operational, degraded_performance, "
                        + "partial_outage, major_outage, under_maintenance", i));
            }
            List<String> regions = component.regions();
            if (regions == null || regions.isEmpty()) {
                violations.add(Violation.at("components.regions", "is required: [\"global\"] or a list of regions", i));
                continue;
            }
            if (regions.size() > ComponentMap.MAX_REGIONS_PER_ENTRY) {
                violations.add(Violation.at("components.regions", "lists " + regions.size() + " regions; at most "
                        + ComponentMap.MAX_REGIONS_PER_ENTRY, i));
                continue;
            }
            if (regions.contains(Component.GLOBAL) && regions.size() > 1) {
                violations.add(Violation.at("components.regions", "\"global\" means every region and stands alone", i));
                continue;
            }
            for (int j = 0; j < regions.size(); j++) {
                String region = regions.get(j);
                if (!Component.isRegion(region)) {
                    violations.add(Violation.at("components.region", Component.REGION_RULE + ": " + quoted(region), i, j));
                } else if (component.service() != null && !pairs.add(component.service() + "/" + region)) {
                    violations.add(Violation.at("components.region", "(" + component.service() + ", " + region
                            + ") is listed twice", i, j));
                }
            }
        }
    }

    private static void requireText(List<Violation> violations, String field, String value, int maxLength,
            Integer... positions) {
        if (value == null || value.isBlank()) {
            violations.add(Violation.at(field, "is required and must not be blank", positions));
        } else if (value.codePointCount(0, value.length()) > maxLength) {
            violations.add(Violation.at(field, "is longer than " + maxLength + " characters", positions));
        }
    }

    private static void requireActor(List<Violation> violations, String actor) {
        if (actor == null || actor.isBlank() || actor.length() > 200) {
            violations.add(Violation.of("actor", "the caller must be an authenticated principal (1 to 200 characters)"));
        }
    }

    private static void rejectIfAny(List<Violation> violations) {
        if (!violations.isEmpty()) {
            throw new CommandRejected(Reason.INVALID, violations);
        }
    }

    /** Cut short, never halfway through a surrogate pair (the API could not write that as JSON). */
    private static String quoted(String value) {
        if (value == null) {
            return "null";
        }
        if (value.length() <= 70) {
            return "'" + value + "'";
        }
        return "'" + value.substring(0, Character.isHighSurrogate(value.charAt(69)) ? 69 : 70) + "…'";
    }

    private static Instant later(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }

    // ---- state --------------------------------------------------------------------------------------------------

    public UUID id() {
        return id;
    }

    public String title() {
        return title;
    }

    public Severity severity() {
        return severity;
    }

    public IncidentStatus status() {
        return status;
    }

    public ComponentMap components() {
        return components;
    }

    public Impact impact() {
        return components.impact();
    }

    public Instant startedAt() {
        return startedAt;
    }

    public String openedBy() {
        return openedBy;
    }

    public String lastMessage() {
        return lastMessage;
    }

    public Instant lastEffectiveAt() {
        return lastEffectiveAt;
    }

    public Instant resolvedAt() {
        return resolvedAt;
    }

    public int version() {
        return version;
    }

    public List<UpdatePosted> updates() {
        return Collections.unmodifiableList(updates);
    }

    public ReviewPublished review() {
        return review;
    }
}
