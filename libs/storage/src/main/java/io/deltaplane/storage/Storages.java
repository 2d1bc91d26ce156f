package io.deltaplane.storage;

import static java.util.Objects.requireNonNull;

import io.deltaplane.support.problem.ApiException;
import io.deltaplane.support.problem.ErrorCode;
import java.util.List;
import java.util.Map;

/** Picks the {@link Storage} that serves a table location. */
public class Storages {

    /** URI schemes of the object store backends, as a location starts. */
    static final List<String> S3_SCHEMES = List.of("s3://", "s3a://");

    static final List<String> AZURE_SCHEMES = List.of("abfss://", "abfs://", "wasbs://", "wasb://", "az://");

    /** The environment variables the backends read (for configurations that are not the process environment). */
    public static final List<String> ENVIRONMENT_VARIABLES = List.of(
            "AWS_ENDPOINT_URL_S3",
            "AWS_ENDPOINT_URL_STS",
            "AWS_ENDPOINT_URL",
            "AWS_REGION",
            "AWS_DEFAULT_REGION",
            "AWS_ACCESS_KEY_ID",
            "AWS_SECRET_ACCESS_KEY",
            "AWS_SESSION_TOKEN",
            "AZURE_STORAGE_CONNECTION_STRING",
            "AZURE_STORAGE_ACCOUNT",
            "AZURE_STORAGE_KEY",
            "AZURE_STORAGE_ENDPOINT_SUFFIX",
            StorageTimeout.VARIABLE,
            StorageRetries.RETRIES,
            StorageRetries.DELAY);

    private final List<Storage> storages;

    public Storages(List<Storage> storages) {
        this.storages = List.copyOf(requireNonNull(storages, "storages"));
    }

    /**
     * Every backend, each configured from the process environment the way its SDK's tools are
     * ({@code AWS_*}, {@code AZURE_*}): the local file system, S3 and Azure Blob / ADLS Gen2. The
     * object store clients are built on the first use of a location of theirs.
     */
    public static Storages fromEnvironment() {
        return fromEnvironment(System.getenv());
    }

    /**
     * As {@link #fromEnvironment()}, each of {@link #ENVIRONMENT_VARIABLES} looked up with {@code
     * lookup} (a Spring {@code Environment::getProperty}, so config files and tests can set them).
     */
    public static Storages fromVariables(java.util.function.UnaryOperator<String> lookup) {
        return fromEnvironment(variables(lookup));
    }

    /** Each of {@link #ENVIRONMENT_VARIABLES} that {@code lookup} knows, by name. */
    public static Map<String, String> variables(java.util.function.UnaryOperator<String> lookup) {
        Map<String, String> variables = new java.util.HashMap<>();
        for (String name : ENVIRONMENT_VARIABLES) {
            String value = lookup.apply(name);
            if (value != null) {
                variables.put(name, value);
            }
        }
        return Map.copyOf(variables);
    }

    /**
     * As {@link #fromEnvironment()}, from {@code env}. What can be checked without a client is
     * checked here, when a service configures its storage at startup, not at the first use of an
     * object store: a malformed {@code DELTAPLANE_STORAGE_TIMEOUT}, {@code DELTAPLANE_STORAGE_RETRIES}
     * or {@code DELTAPLANE_STORAGE_RETRY_DELAY} is an {@link IllegalArgumentException} naming the
     * variable and the forms it takes.
     */
    public static Storages fromEnvironment(Map<String, String> env) {
        Map<String, String> copy = Map.copyOf(env);
        StorageTimeout.from(copy);
        StorageRetries.from(copy);
        return new Storages(List.of(
                new LocalFileStorage(),
                new LazyStorage(location -> startsWithAny(location, S3_SCHEMES), () -> S3Storage.fromEnvironment(copy)),
                new LazyStorage(
                        location -> startsWithAny(location, AZURE_SCHEMES),
                        () -> AzureBlobStorage.fromEnvironment(copy))));
    }

    public Storage forLocation(String location) {
        for (Storage storage : storages) {
            if (storage.supports(location)) {
                return storage;
            }
        }
        throw new ApiException(
                ErrorCode.UNSUPPORTED_LOCATION,
                "No storage serves location '" + location
                        + "'; supported: file:, s3://, s3a://, abfss://, az://, wasbs://");
    }

    /** True for a location on an object store (S3, Azure), false for the local file system. */
    public static boolean isObjectStore(String location) {
        return startsWithAny(location, S3_SCHEMES) || startsWithAny(location, AZURE_SCHEMES);
    }

    /** True for a location on Azure Blob / ADLS Gen2 storage. */
    public static boolean isAzure(String location) {
        return startsWithAny(location, AZURE_SCHEMES);
    }

    private static boolean startsWithAny(String location, List<String> prefixes) {
        if (location == null) {
            return false;
        }
        for (String prefix : prefixes) {
            if (location.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }
}
