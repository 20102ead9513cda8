package dev.incidentplatform.notification.mail;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.YearMonth;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import dev.incidentplatform.notification.domain.Component;
import dev.incidentplatform.notification.domain.IncidentNotice;
import dev.incidentplatform.notification.domain.NoticeDigest;
import dev.incidentplatform.notification.domain.event.CreditIssued;
import dev.incidentplatform.notification.domain.event.IncidentOpened;

/** Subjects and the values the templates show (the templates themselves run in the Quarkus tests). */
class NoticeMailsTest {

    private static final UUID INCIDENT = UUID.fromString("7d0c2a4e-5b1f-4c7e-9a51-2f3b8d6e1c90");

    @Test
    void theSubjectCarriesSeverityTitleStatusAndShortIdOnOneLine() {
        IncidentNotice opened = IncidentNotice.of(new IncidentOpened(UUID.randomUUID(), Instant.now(), INCIDENT, 1,
                "Teams down\r\nBcc: everyone@example.com", "SEV1", "investigating",
                List.of(new Component("teams", List.of("global"), "partial_outage")), Instant.now(), "Looking", "a"));
        NoticeMails.IncidentMail mail = NoticeMails.incidentMail(NoticeDigest.of(List.of(opened)), "https://x/unsubscribe");
        assertThat(mail.subject()).isEqualTo("[SEV1] Teams down Bcc: everyone@example.com — Investigating (#7d0c2a4e)");
        assertThat(mail.components()).containsExactly(new NoticeMails.ComponentLine("teams", "global", "Partial outage"));
    }

    @Test
    void aCreditSubjectStatesWhatWasGrantedExactly() {
        CreditIssued money = credit(new CreditIssued.Money(new BigDecimal("1500"), "JPY"), null);
        assertThat(NoticeMails.creditMail(money, "u").subject())
                .isEqualTo("Service credit for azure-virtual-machines, July 2024: 1500 JPY");
        CreditIssued days = credit(null, 3);
        NoticeMails.CreditMail mail = NoticeMails.creditMail(days, "u");
        assertThat(mail.subject()).isEqualTo("Service credit for azure-virtual-machines, July 2024: 3 days of subscription extension");
        assertThat(mail.amount()).isNull();
        assertThat(mail.uptimePercent()).isEqualTo("99.2585");
    }

    private static CreditIssued credit(CreditIssued.Money amount, Integer days) {
        return new CreditIssued(UUID.randomUUID(), Instant.now(), UUID.randomUUID(), "contoso", "azure-virtual-machines",
                YearMonth.of(2024, 7), List.of(INCIDENT), new BigDecimal("331"), new BigDecimal("99.2585"),
                amount == null ? null : BigDecimal.TEN, amount, days, "azure-vm-99.99", 1, "original", Instant.now());
    }
}
