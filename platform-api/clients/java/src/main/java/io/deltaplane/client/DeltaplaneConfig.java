package io.deltaplane.client;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Validated client settings. Build them with {@link Deltaplane#builder()}, from the environment
 * ({@link Deltaplane#fromEnvironment()}) or a DSN ({@link Deltaplane#connect(String)}); every
 * problem is an {@link InvalidConfigurationException} at build time.
 *
 * @param url the gateway, e.g. {@code http://localhost:8080}
 * @param credentials the API key or access token behind every request (never printed)
 * @param timeout longest wait for one HTTP answer
 * @param connectTimeout longest wait for a connection
 * @param maxAttempts attempts per call, retries included (1 disables retries)
 * @param artifactBucket bucket of {@code /api/v1/datasets} that {@link io.deltaplane.client.JobContext#attachLog} uploads to
 * @param logShip whether attached logs are uploaded at all
 * @param heartbeatInterval how often a running {@code JobContext} tells lineage it is alive
 */
public record DeltaplaneConfig(
        URI url,
        Credentials credentials,
        Duration timeout,
        Duration connectTimeout,
        int maxAttempts,
        String artifactBucket,
        boolean logShip,
        Duration heartbeatInterval) {

    public static final String ENV_URL = "DELTAPLANE_API_URL";
    public static final String ENV_KEY = "DELTAPLANE_API_KEY";
    public static final String ENV_TOKEN = "DELTAPLANE_TOKEN";
    public static final String ENV_TOKEN_FILE = "DELTAPLANE_TOKEN_FILE";
    public static final String ENV_TIMEOUT_MS = "DELTAPLANE_TIMEOUT_MS";
    public static final String ENV_ARTIFACT_BUCKET = "DELTAPLANE_ARTIFACT_BUCKET";
    public static final String ENV_LOG_SHIP = "DELTAPLANE_LOG_SHIP";

    static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);
    static final String DEFAULT_BUCKET = "artifacts";
    private static final Pattern BUCKET = Pattern.compile("[a-z0-9][a-z0-9._-]{0,62}");

    public DeltaplaneConfig {
        if (url == null) {
            throw new InvalidConfigurationException("The Deltaplane URL is missing (set " + ENV_URL + ")");
        }
        if (!"http".equals(url.getScheme()) && !"https".equals(url.getScheme()) || url.getHost() == null) {
            throw new InvalidConfigurationException("The Deltaplane URL must be http(s)://host[:port], got " + url);
        }
        if (credentials == null) {
            throw new InvalidConfigurationException("The API key or access token is missing (set " + ENV_KEY + ", "
                    + ENV_TOKEN + " or " + ENV_TOKEN_FILE + ")");
        }
        timeout = positive(timeout == null ? DEFAULT_TIMEOUT : timeout, "timeout");
        connectTimeout = positive(connectTimeout == null ? Duration.ofSeconds(5) : connectTimeout, "connect timeout");
        if (maxAttempts < 1 || maxAttempts > 20) {
            throw new InvalidConfigurationException("maxAttempts must be between 1 and 20, got " + maxAttempts);
        }
        artifactBucket = artifactBucket == null || artifactBucket.isBlank() ? DEFAULT_BUCKET : artifactBucket;
        if (!BUCKET.matcher(artifactBucket).matches()) {
            throw new InvalidConfigurationException("Invalid artifact bucket name '" + artifactBucket + "'");
        }
        heartbeatInterval =
                positive(heartbeatInterval == null ? Duration.ofSeconds(10) : heartbeatInterval, "heartbeat interval");
        String base = url.toString();
        url = URI.create(base.endsWith("/") ? base.substring(0, base.length() - 1) : base);
    }

    private static Duration positive(Duration d, String what) {
        if (d.isNegative() || d.isZero()) {
            throw new InvalidConfigurationException("The " + what + " must be positive, got " + d);
        }
        return d;
    }

    /** Settings from environment variables ({@code DELTAPLANE_API_URL} may also be a DSN). */
    static DeltaplaneConfig fromEnvironment(Map<String, String> env) {
        String url = env.get(ENV_URL);
        if (url == null || url.isBlank()) {
            throw new InvalidConfigurationException(ENV_URL + " is not set (e.g. http://localhost:8080)");
        }
        Deltaplane.Builder builder = url.startsWith("deltaplane")
                ? Deltaplane.builder().dsn(url)
                : Deltaplane.builder().url(url);
        String key = env.get(ENV_KEY);
        String token = env.get(ENV_TOKEN);
        String tokenFile = env.get(ENV_TOKEN_FILE);
        long given = java.util.stream.Stream.of(key, token, tokenFile)
                .filter(v -> v != null && !v.isBlank())
                .count();
        if (given > 1) {
            throw new InvalidConfigurationException(
                    "Set one of " + ENV_KEY + ", " + ENV_TOKEN + " and " + ENV_TOKEN_FILE + ", not several");
        }
        if (key != null && !key.isBlank()) {
            builder.apiKey(key);
        } else if (token != null && !token.isBlank()) {
            String fixed = token.strip();
            builder.credentials(Credentials.token(() -> fixed));
        } else if (tokenFile != null && !tokenFile.isBlank()) {
            builder.credentials(Credentials.tokenFile(java.nio.file.Path.of(tokenFile.strip())));
        }
        String timeout = env.get(ENV_TIMEOUT_MS);
        if (timeout != null && !timeout.isBlank()) {
            try {
                builder.timeout(Duration.ofMillis(Long.parseLong(timeout.trim())));
            } catch (NumberFormatException e) {
                throw new InvalidConfigurationException(
                        ENV_TIMEOUT_MS + " must be a number of milliseconds, got '" + timeout + "'");
            }
        }
        String bucket = env.get(ENV_ARTIFACT_BUCKET);
        if (bucket != null && !bucket.isBlank()) {
            builder.artifactBucket(bucket.trim());
        }
        String ship = env.get(ENV_LOG_SHIP);
        if (ship != null && !ship.isBlank()) {
            builder.logShip(parseBoolean(ENV_LOG_SHIP, ship));
        }
        return builder.config();
    }

    private static boolean parseBoolean(String name, String value) {
        return switch (value.trim().toLowerCase(Locale.ROOT)) {
            case "true", "1", "yes", "on" -> true;
            case "false", "0", "no", "off" -> false;
            default -> throw new InvalidConfigurationException(name + " must be true or false, got '" + value + "'");
        };
    }

    /**
     * Parses {@code deltaplane://:KEY@host:port} ({@code deltaplanes://} for HTTPS) into the URL and
     * key it names.
     */
    static String[] parseDsn(String dsn) {
        URI uri;
        try {
            uri = new URI(dsn);
        } catch (URISyntaxException e) {
            throw new InvalidConfigurationException("Malformed DSN (expected deltaplane://:KEY@host:port)");
        }
        String scheme = uri.getScheme();
        if (!"deltaplane".equals(scheme) && !"deltaplanes".equals(scheme)) {
            throw new InvalidConfigurationException("A DSN starts with deltaplane:// or deltaplanes://");
        }
        if (uri.getHost() == null) {
            throw new InvalidConfigurationException("The DSN has no host (expected deltaplane://:KEY@host:port)");
        }
        String userInfo = uri.getRawUserInfo();
        String key = null;
        if (userInfo != null) {
            int colon = userInfo.indexOf(':');
            key = colon >= 0 ? userInfo.substring(colon + 1) : userInfo;
            key = java.net.URLDecoder.decode(key, java.nio.charset.StandardCharsets.UTF_8);
        }
        if (uri.getPath() != null && !uri.getPath().isEmpty() && !"/".equals(uri.getPath())) {
            throw new InvalidConfigurationException("A DSN has no path (expected deltaplane://:KEY@host:port)");
        }
        String http = ("deltaplanes".equals(scheme) ? "https" : "http") + "://" + uri.getHost()
                + (uri.getPort() >= 0 ? ":" + uri.getPort() : "");
        return new String[] {http, key};
    }

    @Override
    public String toString() {
        // the credential's own toString names its kind only, never the secret
        return "DeltaplaneConfig[url=" + url + ", credentials=" + credentials + ", timeout=" + timeout
                + ", maxAttempts=" + maxAttempts + "]";
    }
}
