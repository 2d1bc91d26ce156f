package io.deltaplane.client;

/**
 * The client's settings are missing or malformed (URL, API key, timeout, DSN): raised when the
 * client is built, before any call, so a pipeline fails fast.
 */
public class InvalidConfigurationException extends DeltaplaneException {
    public InvalidConfigurationException(String message) {
        super(message, 0, "INVALID_CONFIGURATION", null, null, null);
    }
}
