package io.deltaplane.storage;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.providers.AwsProfileRegionProvider;
import software.amazon.awssdk.regions.providers.AwsRegionProvider;
import software.amazon.awssdk.regions.providers.AwsRegionProviderChain;
import software.amazon.awssdk.regions.providers.SystemSettingsRegionProvider;
import software.amazon.awssdk.retries.api.BackoffStrategy;
import software.amazon.awssdk.retries.api.RetryStrategy;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;

/**
 * Builds the S3 client {@link S3Storage#fromEnvironment} describes from the environment: endpoint,
 * region, credentials, timeout and retry strategy.
 */
final class S3Clients {

    // The standard strategy's own defaults, kept for whichever of the two is not set.
    private static final int S3_ATTEMPTS = 3;
    private static final Duration S3_RETRY_DELAY = Duration.ofMillis(100);
    private static final Duration S3_MAX_RETRY_DELAY = Duration.ofSeconds(20);

    private S3Clients() {}

    /** See {@link S3Storage#fromEnvironment} for the variables read and what each selects. */
    static S3Client fromEnvironment(Map<String, String> env) {
        S3ClientBuilder builder = S3Client.builder()
                .httpClientBuilder(UrlConnectionHttpClient.builder().socketTimeout(StorageTimeout.from(env)));
        String endpoint = firstNonBlank(env.get("AWS_ENDPOINT_URL_S3"), env.get("AWS_ENDPOINT_URL"));
        if (endpoint != null) {
            builder.endpointOverride(URI.create(endpoint)).forcePathStyle(true);
        }
        builder.region(region(env, endpoint != null, OPERATOR_REGION));
        retryStrategy(StorageRetries.from(env))
                .ifPresent(strategy -> builder.overrideConfiguration(o -> o.retryStrategy(strategy)));
        operatorCredentials(env).ifPresent(builder::credentialsProvider);
        return builder.build();
    }

    /**
     * The keys in {@code AWS_ACCESS_KEY_ID}, {@code AWS_SECRET_ACCESS_KEY} (and {@code
     * AWS_SESSION_TOKEN}): the variables the SDK's default chain reads, but from the map given (tests,
     * Spring properties); empty without them, and the default chain (profile, IRSA, instance role)
     * applies.
     */
    static Optional<StaticCredentialsProvider> operatorCredentials(Map<String, String> env) {
        String keyId = firstNonBlank(env.get("AWS_ACCESS_KEY_ID"));
        String secret = firstNonBlank(env.get("AWS_SECRET_ACCESS_KEY"));
        if (keyId == null || secret == null) {
            return Optional.empty();
        }
        String token = firstNonBlank(env.get("AWS_SESSION_TOKEN"));
        return Optional.of(StaticCredentialsProvider.create(
                token == null
                        ? AwsBasicCredentials.create(keyId, secret)
                        : AwsSessionCredentials.create(keyId, secret, token)));
    }

    /**
     * The SDK's standard strategy with {@link StorageRetries}' count and first delay where set
     * (unset: 3 attempts from 100 ms, up to 20 s apart); empty when neither is, so the SDK's default
     * applies as configured for it ({@code AWS_RETRY_MODE}, {@code AWS_MAX_ATTEMPTS}). A throttled
     * request (503 Slow Down) keeps the strategy's own longer back-off: retrying it sooner only adds load.
     */
    static Optional<RetryStrategy> retryStrategy(StorageRetries retries) {
        if (retries.sdkDefaults()) {
            return Optional.empty();
        }
        Duration delay = retries.delay().orElse(S3_RETRY_DELAY);
        Duration max = delay.compareTo(S3_MAX_RETRY_DELAY) > 0 ? delay : S3_MAX_RETRY_DELAY;
        return Optional.of(AwsRetryStrategy.standardRetryStrategy().toBuilder()
                .maxAttempts(retries.retries().map(r -> r + 1).orElse(S3_ATTEMPTS))
                .backoffStrategy(BackoffStrategy.exponentialDelay(delay, max))
                .build());
    }

    /**
     * The system properties and the shared config file, as the SDK's default chain reads them, but
     * never the EC2 instance metadata service: the platform makes no connection the operator did not
     * configure (on EKS the pod identity sets AWS_REGION).
     */
    static final AwsRegionProvider OPERATOR_REGION =
            new AwsRegionProviderChain(new SystemSettingsRegionProvider(), new AwsProfileRegionProvider());

    static Region region(Map<String, String> env, boolean customEndpoint, AwsRegionProvider settings) {
        String named = firstNonBlank(env.get("AWS_REGION"), env.get("AWS_DEFAULT_REGION"));
        if (named != null) {
            return Region.of(named);
        }
        try {
            return settings.getRegion();
        } catch (SdkException e) {
            if (customEndpoint) {
                return Region.US_EAST_1; // S3-compatible stores ignore the region but the SDK needs one
            }
            throw new IllegalStateException(
                    "No AWS region for S3: set AWS_REGION (or a region in the AWS config file); the platform"
                            + " does not ask the EC2 instance metadata service",
                    e);
        }
    }

    static String firstNonBlank(String... values) {
        for (String v : values) {
            if (v != null && !v.isBlank()) {
                return v;
            }
        }
        return null;
    }
}
