package dev.incidentplatform.notification.feed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;

import jakarta.validation.Validation;
import jakarta.validation.Validator;

import org.hibernate.validator.messageinterpolation.ParameterMessageInterpolator;
import org.junit.jupiter.api.Test;

import io.smallrye.config.ConfigValidationException;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import io.smallrye.config.validator.BeanValidationConfigValidator;

/** The feeds' settings as SmallRye Config maps and validates them (Quarkus does the same at start-up). */
class FeedConfigTest {

    private static SmallRyeConfig config(String name, String value) {
        Validator validator = Validation.byDefaultProvider().configure()
                .messageInterpolator(new ParameterMessageInterpolator()).buildValidatorFactory().getValidator();
        SmallRyeConfigBuilder builder = new SmallRyeConfigBuilder().withMapping(FeedConfig.class)
                .withValidator((BeanValidationConfigValidator) () -> validator);
        if (name != null) {
            builder.withDefaultValue(name, value);
        }
        return builder.build();
    }

    @Test
    void theDefaultsAreFiftyEntriesForAMinute() {
        FeedConfig feeds = config(null, null).getConfigMapping(FeedConfig.class);

        assertThat(feeds.maxEntries()).isEqualTo(50);
        assertThat(feeds.maxAge()).isEqualTo(Duration.ofSeconds(60));
        assertThat(feeds.title()).isEqualTo("Service status: incidents");
        assertThat(feeds.author()).isEqualTo("Service status");
    }

    @Test
    void aFeedOfNoEntriesOrOfTooManyOrWithoutATitleDoesNotStart() {
        assertThatThrownBy(() -> config("notification.feeds.max-entries", "0")).isInstanceOf(ConfigValidationException.class)
                .hasMessageContaining("max-entries");
        assertThatThrownBy(() -> config("notification.feeds.max-entries", "501")).isInstanceOf(ConfigValidationException.class);
        assertThatThrownBy(() -> config("notification.feeds.title", " ")).isInstanceOf(ConfigValidationException.class);
        assertThat(config("notification.feeds.max-entries", "500").getConfigMapping(FeedConfig.class).maxEntries()).isEqualTo(500);
    }
}
