package io.deltaplane.metadata.health;

import io.deltaplane.support.secrets.Secrets;
import java.util.Optional;
import org.springframework.stereotype.Component;

/**
 * The secrets webhooks may name: environment variables {@code DELTAPLANE_SECRET_*} of this
 * service, nothing else (a bean of its own so a test can hand in its own environment).
 */
@Component
public class HealthSecrets {

    private final Secrets secrets;

    public HealthSecrets() {
        this(new Secrets(System::getenv, "DELTAPLANE_SECRET_", Optional.empty()));
    }

    public HealthSecrets(Secrets secrets) {
        this.secrets = secrets;
    }

    Secrets secrets() {
        return secrets;
    }
}
