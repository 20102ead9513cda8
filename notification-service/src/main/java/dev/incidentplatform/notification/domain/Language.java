package dev.incidentplatform.notification.domain;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * A language notices are written in: the templates and their messages exist in each. A subscriber names one by its
 * BCP 47 tag ({@code en}, {@code de}); one who names none reads {@link #DEFAULT}.
 */
public enum Language {
    ENGLISH("en"),
    GERMAN("de");

    public static final Language DEFAULT = ENGLISH;

    private final String tag;

    Language(String tag) {
        this.tag = tag;
    }

    public String tag() {
        return tag;
    }

    /** The language of exactly this tag, as the API spells it; anything else (even {@code EN} or {@code de-DE}) is none. */
    public static Optional<Language> of(String tag) {
        return Arrays.stream(values()).filter(language -> language.tag.equals(tag)).findFirst();
    }

    /** The language of a stored tag: null (or a tag no longer supported) reads as the default. */
    public static Language orDefault(String tag) {
        return of(tag).orElse(DEFAULT);
    }

    public static List<String> tags() {
        return Arrays.stream(values()).map(Language::tag).toList();
    }
}
