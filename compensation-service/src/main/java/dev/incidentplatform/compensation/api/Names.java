package dev.incidentplatform.compensation.api;

import java.util.regex.Pattern;

import dev.incidentplatform.platform.problem.FieldErrors;

/**
 * The syntax of the names this API reads, in JSON bodies, CSV cells and query filters alike; the same in all three
 * services and in the event contracts, so that a name accepted here is accepted everywhere it travels. (Regions are
 * the domain's: {@code RegionSet}.)
 */
public final class Names {

    public static final Pattern SERVICE = Pattern.compile("[a-z0-9][a-z0-9._-]{0,63}");
    public static final String SERVICE_RULE = "must be a service name: 1 to 64 lowercase letters, digits, '.', '_' or '-',"
            + " starting with a letter or digit (e.g. azure-virtual-machines)";
    /** The first character is a letter or digit, so that no customer id is ever a spreadsheet formula. */
    public static final Pattern CUSTOMER_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:@-]{0,99}");
    public static final String CUSTOMER_ID_RULE = "must be a customer id: 1 to 100 letters, digits, '.', '_', ':', '@' or"
            + " '-', starting with a letter or digit";
    public static final Pattern POLICY_ID = Pattern.compile("[a-z0-9][a-z0-9._-]{0,99}");
    public static final String POLICY_ID_RULE = "must be a policy id: 1 to 100 lowercase letters, digits, '.', '_' or '-',"
            + " starting with a letter or digit";

    private Names() {
    }

    /** Records the rule under {@code field} when the value is absent or breaks it; true when it keeps it. */
    public static boolean check(FieldErrors errors, String field, String value, Pattern syntax, String rule) {
        if (value == null || !syntax.matcher(value).matches()) {
            errors.add(field, rule);
            return false;
        }
        return true;
    }

    /** As {@link #check}, for an optional filter: null passes. */
    public static void checkFilter(FieldErrors errors, String field, String value, Pattern syntax, String rule) {
        if (value != null) {
            check(errors, field, value, syntax, rule);
        }
    }
}
