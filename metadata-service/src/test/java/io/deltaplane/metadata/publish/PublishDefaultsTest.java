package io.deltaplane.metadata.publish;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

/** What an installation that sets nothing gets (the other tests configure their own cadence). */
class PublishDefaultsTest {

    private static PublishProperties bind(Map<String, String> settings) {
        return new Binder(new MapConfigurationPropertySource(settings))
                .bindOrCreate("deltaplane.publish", PublishProperties.class);
    }

    @Test
    void checkpointsComeEveryTenVersionsAsWithEveryDeltaWriter() {
        PublishProperties defaults = bind(Map.of());
        assertThat(defaults.checkpointInterval()).isEqualTo(10);
        assertThat(defaults.checkpointMinInterval())
                .as("a hot table still checkpoints at most once a minute")
                .isEqualTo(Duration.ofMinutes(1));
        assertThat(bind(Map.of("deltaplane.publish.checkpoint-interval", "50")).checkpointInterval())
                .isEqualTo(50);
    }
}
