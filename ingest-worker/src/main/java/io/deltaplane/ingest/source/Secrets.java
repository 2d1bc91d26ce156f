package io.deltaplane.ingest.source;

import java.util.function.Function;

/**
 * Reads secrets by name from the environment at the moment they are used; mappings only ever hold
 * the names. Values are never logged or returned: errors name the variable, not its content.
 */
public final class Secrets {

    private final Function<String, String> environment;

    public Secrets(Function<String, String> environment) {
        this.environment = environment;
    }

    public static Secrets fromEnvironment() {
        return new Secrets(System::getenv);
    }

    public String require(String name) {
        String value = environment.apply(name);
        if (value == null || value.isBlank()) {
            throw new MissingSecretException(name);
        }
        return value;
    }

    /** A mapping names an environment variable that is not set in this worker. */
    public static final class MissingSecretException extends IllegalStateException {
        public MissingSecretException(String name) {
            super("Environment variable " + name + " is not set in the worker");
        }
    }
}
