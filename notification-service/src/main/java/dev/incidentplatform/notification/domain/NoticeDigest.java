package dev.incidentplatform.notification.domain;

import java.util.Comparator;
import java.util.List;

/**
 * What one email about an incident shows: the latest state among the notices it carries, and those notices in the
 * order they happened (one when nothing was coalesced).
 */
public record NoticeDigest(IncidentNotice latest, List<IncidentNotice> updates) {

    public static NoticeDigest of(List<IncidentNotice> notices) {
        if (notices.isEmpty()) {
            throw new IllegalArgumentException("A digest needs at least one notice");
        }
        List<IncidentNotice> ordered = notices.stream().sorted(Comparator.comparingInt(IncidentNotice::streamVersion)).toList();
        return new NoticeDigest(ordered.get(ordered.size() - 1), ordered);
    }

    public boolean coalesced() {
        return updates.size() > 1;
    }
}
