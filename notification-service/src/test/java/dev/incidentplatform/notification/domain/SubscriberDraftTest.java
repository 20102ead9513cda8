package dev.incidentplatform.notification.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

class SubscriberDraftTest {

    @Test
    void aValidSubscriberHasNoViolationsAndANormalizedAddress() {
        SubscriberDraft draft = new SubscriberDraft(" Ops.Team@Contoso.COM ", "Ops", "contoso", List.of("teams", "teams"),
                List.of("eu-west"));
        assertThat(draft.violations()).isEmpty();
        assertThat(draft.email()).isEqualTo("Ops.Team@Contoso.COM");
        assertThat(draft.normalizedEmail()).isEqualTo("ops.team@contoso.com");
        assertThat(draft.services()).containsExactly("teams");
    }

    @Test
    void everyBrokenFieldIsNamedWithAReason() {
        SubscriberDraft draft = new SubscriberDraft("not-an-address", "n".repeat(201), null, List.of("Teams!"),
                List.of("global"));
        assertThat(draft.violations()).extracting(Violation::field).containsExactlyInAnyOrder("email", "name", "services", "regions");
    }

    @Test
    void addressesNeedALocalPartAndADomainWithADot() {
        for (String bad : List.of("", "a@", "@b.com", "a@b", "a b@c.com", "a@b..com", "a@-b.com")) {
            assertThat(new SubscriberDraft(bad, null, null, null, null).violations()).as(bad).extracting(Violation::field)
                    .contains("email");
        }
        for (String good : List.of("a@b.co", "first.last+tag@sub.example.com", "o'brien@example.ie")) {
            assertThat(new SubscriberDraft(good, null, null, null, null).violations()).as(good).isEmpty();
        }
    }

    @Test
    void addressesKeepTheRfc5321LengthLimits() {
        String local64 = "l".repeat(64);
        assertThat(new SubscriberDraft(local64 + "@x.example", null, null, null, null).violations()).isEmpty();
        assertThat(new SubscriberDraft(local64 + "l@x.example", null, null, null, null).violations()).extracting(Violation::field)
                .containsExactly("email");
        String domain = ("d".repeat(60) + ".").repeat(4) + "example"; // 251 characters: with "a@" 253
        assertThat(new SubscriberDraft("a@" + domain, null, null, null, null).violations()).isEmpty();
        assertThat(new SubscriberDraft("ab@" + domain + "x", null, null, null, null).violations()).extracting(Violation::field)
                .containsExactly("email");
    }

    @Test
    void aCustomerIdStartsWithALetterOrDigitSoThatItIsNeverAFormula() {
        for (String formula : List.of("=cmd|' /C calc'!A0", "+1", "-1", "@SUM(1)", "c".repeat(101), "a b", "contoso\u0000")) {
            assertThat(new SubscriberDraft("a@b.example", null, formula, null, null).violations()).as(formula)
                    .extracting(Violation::field).containsExactly("customerId");
        }
        for (String good : List.of("contoso", "ACME-01", "tenant:42", "billing@contoso", "a.b_c", "c".repeat(100))) {
            assertThat(new SubscriberDraft("a@b.example", null, good, null, null).violations()).as(good).isEmpty();
        }
    }

    @Test
    void namesFollowTheTextRulesAndNullOrTooManyEntriesAreNamedWithoutEchoingEachOne() {
        assertThat(new SubscriberDraft("a@b.example", "A\u0000B", null, null, null).violations()).extracting(Violation::reason)
                .singleElement().asString().contains("NUL");
        assertThat(new SubscriberDraft("a@b.example", null, null, java.util.Arrays.asList("teams", null), null).violations())
                .extracting(Violation::reason).containsExactly("must not contain null");
        List<String> many = java.util.stream.IntStream.range(0, 10_000).mapToObj(i -> "Bad Service " + i).toList();
        assertThat(new SubscriberDraft("a@b.example", null, null, many, null).violations()).extracting(Violation::reason)
                .containsExactly("must have at most 100 entries, has 10000");
        assertThat(new SubscriberDraft("a@b.example", null, null, List.of("x".repeat(10_000)), null).violations().get(0).reason())
                .hasSizeLessThan(200);
    }

    @Test
    void aLocaleIsTheExactTagOfALanguageTheTemplatesExistIn() {
        for (String tag : Language.tags()) {
            assertThat(draft(tag, null).violations()).as(tag).isEmpty();
        }
        assertThat(Language.tags()).containsExactly("en", "de");
        for (String bad : List.of("fr", "EN", "de-DE", "english", "x".repeat(500))) {
            List<Violation> violations = draft(bad, null).violations();
            assertThat(violations).as(bad).extracting(Violation::field).containsExactly("locale");
            assertThat(violations.get(0).reason()).as(bad).contains("en, de").hasSizeLessThan(150);
            assertThat(SubscriberDraft.onlyUnsupportedValues(violations)).isTrue();
        }
        assertThat(draft(" ", null).locale()).as("blank is none").isNull();
        assertThat(Language.orDefault(null)).isEqualTo(Language.ENGLISH);
        assertThat(Language.orDefault("de")).isEqualTo(Language.GERMAN);
    }

    @Test
    void aTimeZoneIsAnIanaRegionIdNotAnOffsetOrAnAbbreviation() {
        for (String zone : List.of("Europe/Berlin", "America/New_York", "Asia/Kolkata", "UTC", "Etc/GMT+5")) {
            assertThat(draft(null, zone).violations()).as(zone).isEmpty();
        }
        for (String bad : List.of("Mars/Olympus_Mons", "+01:00", "UTC+1", "CEST", "europe/berlin", "../../etc/passwd",
                "SystemV/CST6")) {
            assertThat(draft(null, bad).violations()).as(bad).extracting(Violation::field).containsExactly("timeZone");
        }
        assertThat(draft(null, "Europe/Berlin ").timeZone()).as("surrounding blanks are dropped").isEqualTo("Europe/Berlin");
    }

    @Test
    void onlyALanguageOrZoneFaultIsAnUnsupportedValueAnyOtherFaultMakesTheWholeDraftInvalid() {
        List<Violation> both = new SubscriberDraft("not-an-address", null, null, null, null, "fr", "Mars/Base").violations();
        assertThat(both).extracting(Violation::field).containsExactly("email", "locale", "timeZone");
        assertThat(SubscriberDraft.onlyUnsupportedValues(both)).isFalse();
        assertThat(SubscriberDraft.onlyUnsupportedValues(List.of())).isFalse();
        assertThat(SubscriberDraft.onlyUnsupportedValues(draft("fr", "Mars/Base").violations())).isTrue();
    }

    private static SubscriberDraft draft(String locale, String timeZone) {
        return new SubscriberDraft("a@b.example", null, null, null, null, locale, timeZone);
    }
}
