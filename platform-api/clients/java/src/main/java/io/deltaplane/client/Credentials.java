package io.deltaplane.client;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * What the client presents as {@code Authorization: Bearer …}: a Deltaplane API key, or an access
 * token from one of the platform's single sign-on issuers. A token is asked for anew before every
 * request, so a provider that refreshes it (a token file the platform rotates, an identity library's
 * cache) is always current. The value is never printed: {@link #toString()} says only its kind.
 *
 * <pre>{@code
 * Deltaplane.builder().url(url).credentials(Credentials.apiKey(key));
 * Deltaplane.builder().url(url).credentials(Credentials.tokenFile(Path.of("/var/run/secrets/deltaplane/token")));
 * Deltaplane.builder().url(url).credentials(Credentials.token(() -> identity.accessToken("api://deltaplane")));
 * }</pre>
 */
public abstract sealed class Credentials {

    private Credentials() {}

    /** The value sent after {@code Bearer }; called before every request. */
    public abstract String bearer();

    /** A Deltaplane API key ({@code key_…}), checked when the client is built. */
    public static Credentials apiKey(String key) {
        if (key == null || key.isBlank()) {
            throw new InvalidConfigurationException("The API key is missing (set " + DeltaplaneConfig.ENV_KEY + ")");
        }
        checkHeaderSafe(key, "The API key");
        return new ApiKey(key);
    }

    /**
     * An access token from {@code provider}, called before every request (cache in the provider, not
     * around it). A provider that fails or answers nothing fails the call with an {@link
     * AuthException}, before anything is sent.
     */
    public static Credentials token(Supplier<String> provider) {
        return new TokenProvider(Objects.requireNonNull(provider, "provider"), "a token provider");
    }

    /**
     * An access token read from {@code file} (one an agent or sidecar keeps fresh), read again
     * whenever the file changes.
     * The file must be readable when the client is built.
     */
    public static Credentials tokenFile(Path file) {
        Objects.requireNonNull(file, "file");
        if (!Files.isReadable(file)) {
            throw new InvalidConfigurationException("The token file " + file + " is not there or not readable ("
                    + DeltaplaneConfig.ENV_TOKEN_FILE + ")");
        }
        return new TokenProvider(new TokenFile(file), "a token from " + file);
    }

    private static String checkHeaderSafe(String value, String what) {
        if (value.chars().anyMatch(c -> c <= ' ' || c > '~')) {
            throw new InvalidConfigurationException(what + " contains whitespace or non-ASCII characters");
        }
        return value;
    }

    private static final class ApiKey extends Credentials {
        private final String key;

        ApiKey(String key) {
            this.key = key;
        }

        @Override
        public String bearer() {
            return key;
        }

        @Override
        public String toString() {
            // enough to tell which key is set, never enough to use it
            return "API key " + (key.length() <= 8 ? "****" : key.substring(0, 8) + "…");
        }
    }

    private static final class TokenProvider extends Credentials {
        private final Supplier<String> provider;
        private final String description;

        TokenProvider(Supplier<String> provider, String description) {
            this.provider = provider;
            this.description = description;
        }

        @Override
        public String bearer() {
            String token;
            try {
                token = provider.get();
            } catch (RuntimeException e) {
                throw new AuthException("Could not get an access token from " + description + ": " + e.getMessage(), e);
            }
            if (token == null || token.isBlank()) {
                throw new AuthException("No access token from " + description, null);
            }
            try {
                return checkHeaderSafe(token.strip(), "The access token from " + description);
            } catch (InvalidConfigurationException e) {
                throw new AuthException(e.getMessage(), e);
            }
        }

        @Override
        public String toString() {
            return description;
        }
    }

    /** The file's content, read again when its modification time or size changes. */
    private static final class TokenFile implements Supplier<String> {
        private final Path file;
        private FileTime readAt;
        private long readSize = -1;
        private String token;

        TokenFile(Path file) {
            this.file = file;
        }

        @Override
        public synchronized String get() {
            try {
                FileTime modified = Files.getLastModifiedTime(file);
                long size = Files.size(file);
                if (token == null || !modified.equals(readAt) || size != readSize) {
                    token = Files.readString(file, StandardCharsets.UTF_8).strip();
                    readAt = modified;
                    readSize = size;
                }
                return token;
            } catch (IOException e) {
                throw new IllegalStateException(
                        "cannot read " + file + ": " + e.getClass().getSimpleName(), e);
            }
        }
    }
}
