package dev.incidentplatform.notification.mail;

import io.quarkus.qute.i18n.Message;
import io.quarkus.qute.i18n.MessageBundle;

/**
 * Every text of a notice mail, in English; {@code messages/notice_de.properties} holds the German ones. The templates
 * read them as {@code {notice:…}} in the mail's language, the subject is built from them in Java, and Qute checks at
 * build time that each key a template names exists in every language.
 */
@MessageBundle(value = "notice", locale = "en")
public interface NoticeMessages {

    // Dates: java.time patterns; the zone's abbreviation follows.
    @Message("d MMM yyyy, HH:mm")
    String dateTimePattern();

    @Message("HH:mm")
    String timePattern();

    @Message("MMMM yyyy")
    String monthPattern();

    @Message("Service status")
    String brand();

    @Message("Incident #{shortId}")
    String incidentNumber(String shortId);

    @Message("Started")
    String started();

    @Message("View incident")
    String viewIncident();

    @Message("Latest update")
    String latestUpdate();

    @Message("Earlier updates")
    String earlierUpdates();

    @Message("This notice covers {count} updates posted in quick succession, the latest first.")
    String coalesced(int count);

    @Message("Affected services")
    String affectedServices();

    @Message("Service")
    String service();

    @Message("Regions")
    String regions();

    @Message("Status")
    String status();

    @Message("All regions")
    String allRegions();

    @Message("Post-incident review")
    String review();

    @Message("Post-incident review, version {version}")
    String reviewVersion(int version);

    @Message("Root cause")
    String rootCause();

    @Message("Impact")
    String impact();

    @Message("What we are doing so that it does not happen again")
    String preventativeMeasures();

    @Message("You receive this because you subscribed to service status notices.")
    String incidentFooter();

    @Message("You receive this because you subscribed to service notices for your account.")
    String creditFooter();

    @Message("Manage subscription")
    String manageSubscription();

    @Message("Unsubscribe")
    String unsubscribe();

    // Incident statuses.
    @Message("Investigating")
    String investigating();

    @Message("Identified")
    String identified();

    @Message("Monitoring")
    String monitoring();

    @Message("Resolved")
    String resolved();

    // Component statuses.
    @Message("Operational")
    String operational();

    @Message("Degraded performance")
    String degradedPerformance();

    @Message("Partial outage")
    String partialOutage();

    @Message("Major outage")
    String majorOutage();

    @Message("Under maintenance")
    String underMaintenance();

    // Credit notices.
    @Message("Service credit for {service}, {month}: {granted}")
    String creditSubject(String service, String month, String granted);

    @Message("{days} days of subscription extension")
    String extensionDays(int days);

    @Message("Hello {name},")
    String greeting(String name);

    @Message("Hello,")
    String greetingWithoutName();

    @Message("{service} did not meet its availability commitment in {month}, so a service credit has been issued to your account.")
    String creditIssued(String service, String month);

    @Message("{service} did not meet its availability commitment in {month}, so an additional service credit has been issued to your account.")
    String creditAdjusted(String service, String month);

    @Message("Credit")
    String credit();

    @Message("{percent} % of the monthly fee")
    String percentOfMonthlyFee(String percent);

    @Message("Extension")
    String extension();

    @Message("Billing month")
    String billingMonth();

    @Message("Downtime")
    String downtime();

    @Message("{minutes} minutes")
    String minutes(String minutes);

    @Message("Monthly uptime")
    String monthlyUptime();

    @Message("The incidents this credit is for")
    String creditedIncidents();

    @Message("Incident {shortId}")
    String unknownIncident(String shortId);

    @Message("since {start}, not resolved yet")
    String ongoingSince(String start);
}
