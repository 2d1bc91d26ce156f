package io.deltaplane.support.secrets;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Secrets by reference: a setting (an ingest mapping's connection, a health webhook's signing key)
 * names a secret, the service reads it when it connects. Only what the
 * operator allows can be named: environment variables with the secret prefix
 * ({@code DELTAPLANE_SECRET_…}), or files directly in the secrets directory (a mounted Kubernetes
 * Secret). Values are never logged, stored or returned; {@link #redact} removes any value this
 * service has read from text bound for operators (a client library's error message, say).
 */
public final class Secrets {

    private static final Pattern REFERENCE = Pattern.compile("[A-Za-z_][A-Za-z0-9_.-]{0,127}");
    private static final String MASK = "[redacted]";

    private final Function<String, String> environment;
    private final String prefix;
    private final Optional<Path> directory;
    private final Set<String> handedOut = ConcurrentHashMap.newKeySet();

    public Secrets(Function<String, String> environment, String prefix, Optional<Path> directory) {
        this.environment = environment;
        this.prefix = prefix;
        this.directory = directory.map(d -> d.toAbsolutePath().normalize());
    }

    /** The process environment with the default prefix and no secrets directory. */
    public static Secrets fromEnvironment() {
        return new Secrets(System::getenv, "DELTAPLANE_SECRET_", Optional.empty());
    }

    /** Any name readable, from this environment only: for tests of code that takes secrets. */
    public static Secrets of(Function<String, String> environment) {
        return new Secrets(environment, "", Optional.empty());
    }

    /** Whether a setting may name {@code reference} (checked when it is created or changed). */
    public boolean allowed(String reference) {
        if (reference == null || !REFERENCE.matcher(reference).matches()) {
            return false;
        }
        return reference.startsWith(prefix) || file(reference).isPresent();
    }

    /** The rule, for error messages. */
    public String rule() {
        return "environment variables named " + prefix + "*"
                + directory.map(d -> " or files in " + d).orElse("");
    }

    public String require(String reference) {
        if (!allowed(reference)) {
            throw new SecretNotAllowedException(reference, rule());
        }
        String value = reference.startsWith(prefix) ? environment.apply(reference) : null;
        if (value == null) {
            value = file(reference).map(Secrets::read).orElse(null);
        }
        if (value == null || value.isBlank()) {
            throw new MissingSecretException(reference);
        }
        value = value.strip();
        handedOut.add(value);
        return value;
    }

    /** {@code text} with every secret value this service has read replaced by a mask. */
    public String redact(String text) {
        if (text == null) {
            return null;
        }
        String redacted = text;
        for (String value : handedOut) {
            if (value.length() >= 4) {
                redacted = redacted.replace(value, MASK);
            }
        }
        return redacted;
    }

    private Optional<Path> file(String reference) {
        return directory
                .map(d -> d.resolve(reference).normalize())
                .filter(f -> directory.get().equals(f.getParent()) && Files.isRegularFile(f));
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return null;
        }
    }

    /** A setting names a secret that is not set in this service. */
    public static final class MissingSecretException extends IllegalStateException {
        public MissingSecretException(String name) {
            super("Secret " + name + " is not set in this service");
        }
    }

    /** A setting names something the operator did not allow as a secret. */
    public static final class SecretNotAllowedException extends IllegalStateException {
        public SecretNotAllowedException(String name, String rule) {
            super("Secret reference " + name + " is not allowed: settings may name " + rule);
        }
    }
}
