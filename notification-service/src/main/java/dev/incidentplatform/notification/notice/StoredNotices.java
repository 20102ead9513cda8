package dev.incidentplatform.notification.notice;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

import dev.incidentplatform.notification.channel.Notice;
import dev.incidentplatform.notification.domain.Component;
import dev.incidentplatform.notification.domain.CreditNotice;
import dev.incidentplatform.notification.domain.IncidentNotice;
import dev.incidentplatform.notification.domain.event.CreditIssued;

/**
 * Reads a {@code channel.Notice}'s stored content back, for everything that shows it (mail, webhooks, feeds): the one reader
 * of that JSON. Stored notices are read as they were written, whatever they hold: the strict rules of the service's
 * own ObjectMapper are for requests.
 */
@ApplicationScoped
public class StoredNotices {

    private static final int REMEMBERED = 64;

    private final ObjectMapper mapper = JsonMapper.builder().addModule(new JavaTimeModule())
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();
    private final Map<String, IncidentNotice> incidents = new LinkedHashMap<>(REMEMBERED, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, IncidentNotice> eldest) {
            return size() > REMEMBERED;
        }
    };

    public static boolean isCredit(Notice notice) {
        return CreditIssued.TYPE.equals(notice.eventType());
    }

    /** Components as stored beside a notice ({@code [{service, regions, status}]}). */
    public List<Component> components(String content) {
        try {
            return mapper.readValue(content, new TypeReference<List<Component>>() {
            });
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Stored components cannot be read", e);
        }
    }

    /**
     * The notice stored as {@code content}. A fan-out renders the same few notices for every recipient, so the last
     * {@value #REMEMBERED} read are kept (notices are immutable once stored, and so are the records read from them).
     */
    public IncidentNotice incident(String content) {
        synchronized (incidents) {
            IncidentNotice known = incidents.get(content);
            if (known != null) {
                return known;
            }
        }
        IncidentNotice notice;
        try {
            notice = mapper.readValue(content, IncidentNotice.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("A stored incident notice cannot be read", e);
        }
        synchronized (incidents) {
            incidents.put(content, notice);
        }
        return notice;
    }

    /** A credit notice as stored: with its incidents' details, or (stored before they were recorded) the bare event. */
    public CreditNotice credit(String content) {
        try {
            // Read from the text, not the tree: a tree's decimals lose their trailing zeros (1250.00 would show as 1250).
            JsonNode tree = mapper.readTree(content);
            if (tree != null && tree.has("credit")) {
                return mapper.readValue(content, CreditNotice.class);
            }
            return CreditNotice.withoutIncidentDetails(mapper.readValue(content, CreditIssued.class));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("A stored credit notice cannot be read", e);
        }
    }
}
