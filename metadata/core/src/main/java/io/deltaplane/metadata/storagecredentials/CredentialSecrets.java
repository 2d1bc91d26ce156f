package io.deltaplane.metadata.storagecredentials;

import io.deltaplane.support.secrets.Secrets;
import org.springframework.stereotype.Component;

/**
 * The secrets a storage credential may name, as health webhooks name theirs: environment variables
 * {@code DELTAPLANE_SECRET_*} of this service (a bean of its own so a test can hand in its own).
 * Only whether a reference is allowed is asked here; nothing reads a value.
 */
@Component
public class CredentialSecrets {

    private final Secrets secrets;

    public CredentialSecrets() {
        this(Secrets.fromEnvironment());
    }

    public CredentialSecrets(Secrets secrets) {
        this.secrets = secrets;
    }

    boolean allowed(String reference) {
        return secrets.allowed(reference);
    }

    String rule() {
        return secrets.rule();
    }
}
