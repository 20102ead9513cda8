package dev.incidentplatform.platform.problem;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;

import org.junit.jupiter.api.Test;

class UnavailabilityTest {

    @Test
    void connectionFailuresAreUnavailabilityOtherSqlErrorsAreNot() {
        assertThat(Unavailability.databaseUnavailable(new IllegalStateException(new SQLException("refused", "08001")))).isTrue();
        assertThat(Unavailability.databaseUnavailable(new SQLException("terminating connection", "57P01"))).isTrue();
        assertThat(Unavailability.databaseUnavailable(new SQLException("too many clients", "53300"))).isTrue();
        assertThat(Unavailability.databaseUnavailable(new SQLTransientConnectionException("gone"))).isTrue();
        assertThat(Unavailability.databaseUnavailable(new RuntimeException(new SQLException("Sorry, acquisition timeout!")))).isTrue();
        assertThat(Unavailability.databaseUnavailable(new SQLException("duplicate key", "23505"))).isFalse();
        assertThat(Unavailability.databaseUnavailable(new IllegalStateException("bug"))).isFalse();
    }
}
