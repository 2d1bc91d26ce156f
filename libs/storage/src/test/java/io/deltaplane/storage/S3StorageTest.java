package io.deltaplane.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.junit.S3ProxyExtension;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpResponse;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * The S3 backend against S3Proxy, a real S3 protocol server (from Maven Central) on a random port
 * in this JVM; the client is built by {@link S3Storage#fromEnvironment} from the variables an
 * operator would set for an S3-compatible store.
 */
class S3StorageTest extends StorageContract {

    /** S3's smallest part; the contract's large object takes three. */
    private static final int PART_SIZE = 5 * 1024 * 1024;

    @RegisterExtension
    final S3ProxyExtension s3Proxy = S3ProxyExtension.builder()
            .withCredentials(AuthenticationType.AWS_V2_OR_V4, "access", "secret")
            .build();

    private S3Storage storage;
    private String bucket;

    @BeforeEach
    void createBucket() {
        Map<String, String> env = Map.of("AWS_ENDPOINT_URL_S3", s3Proxy.getUri().toString(), "AWS_REGION", "us-east-1");
        System.setProperty("aws.accessKeyId", s3Proxy.getAccessKey());
        System.setProperty("aws.secretAccessKey", s3Proxy.getSecretKey());
        S3Client client = S3Storage.fromEnvironment(env).client();
        storage = new S3Storage(client, PART_SIZE);
        bucket = "warehouse-" + UUID.randomUUID().toString().substring(0, 8);
        client.createBucket(b -> b.bucket(bucket));
    }

    @Override
    protected Storage storage() {
        return storage;
    }

    @Override
    protected String freshLocation() {
        return "s3://" + bucket + "/tables/" + UUID.randomUUID();
    }

    @Test
    void s3ProxyHonoursTheConditionalWritesTheBackendReliesOn() {
        // Not only the backend's existence check: the server itself refuses If-None-Match: * on an
        // existing key, for PutObject and for CompleteMultipartUpload.
        S3Client client = storage.client();
        // Setup, unconditional: under load the SDK may retry a first attempt the server already
        // applied, and a conditional retry then meets its own object (seen in CI).
        client.putObject(b -> b.bucket(bucket).key("c/a.json"), RequestBody.fromString("1"));
        assertThatThrownBy(() -> client.putObject(
                        b -> b.bucket(bucket).key("c/a.json").ifNoneMatch("*"), RequestBody.fromString("2")))
                .isInstanceOfSatisfying(
                        S3Exception.class, e -> assertThat(e.statusCode()).isEqualTo(412));

        String upload = client.createMultipartUpload(b -> b.bucket(bucket).key("c/a.json"))
                .uploadId();
        String etag = client.uploadPart(
                        b -> b.bucket(bucket).key("c/a.json").uploadId(upload).partNumber(1),
                        RequestBody.fromString("3"))
                .eTag();
        assertThatThrownBy(() -> client.completeMultipartUpload(b -> b.bucket(bucket)
                        .key("c/a.json")
                        .uploadId(upload)
                        .ifNoneMatch("*")
                        .multipartUpload(m -> m.parts(p -> p.partNumber(1).eTag(etag)))))
                .isInstanceOfSatisfying(
                        S3Exception.class, e -> assertThat(e.statusCode()).isEqualTo(412));
        assertThat(client.getObjectAsBytes(b -> b.bucket(bucket).key("c/a.json"))
                        .asUtf8String())
                .isEqualTo("1");
    }

    @Test
    void aRetriedCreateTheStoreHadAppliedIsOursAndAnotherWritersObjectIsNot() throws Exception {
        // The store applies the first PutObject but the client is told 500 (as when the answer is
        // lost): the SDK retries, and the conditional retry meets the object it created itself.
        AtomicInteger puts = new AtomicInteger();
        ExecutionInterceptor firstAnswerLost = new ExecutionInterceptor() {
            @Override
            public SdkHttpResponse modifyHttpResponse(
                    Context.ModifyHttpResponse context, ExecutionAttributes attributes) {
                boolean put = context.httpRequest().method() == SdkHttpMethod.PUT
                        && context.httpRequest().encodedPath().endsWith("/r/a.json");
                return put && puts.getAndIncrement() == 0
                        ? context.httpResponse().toBuilder().statusCode(500).build()
                        : context.httpResponse();
            }
        };
        S3Client client = S3Client.builder()
                .endpointOverride(s3Proxy.getUri())
                .forcePathStyle(true)
                .region(Region.US_EAST_1)
                .overrideConfiguration(o -> o.addExecutionInterceptor(firstAnswerLost))
                .build();
        S3Storage retrying = new S3Storage(client, PART_SIZE);
        String path = "s3://" + bucket + "/r/a.json";

        assertThat(retrying.putIfAbsent(path, bytes("mine")))
                .as("our own create, applied before the retry")
                .isTrue();
        assertThat(puts.get()).as("the SDK retried the put").isEqualTo(2);
        assertThat(retrying.putIfAbsent(path, bytes("mine")))
                .as("a second upload of the same bytes is another writer's")
                .isFalse();
        assertThat(storage.read(path).map(b -> new String(b, java.nio.charset.StandardCharsets.UTF_8)))
                .contains("mine");
    }

    @Test
    void s3aLocationsNameTheSameObjects() throws Exception {
        String path = "s3a://" + bucket + "/t/a.json";
        assertThat(storage.putIfAbsent(path, bytes("x"))).isTrue();
        assertThat(storage.exists("s3://" + bucket + "/t/a.json")).isTrue();
        assertThat(storage.supports("abfss://c@a.dfs.core.windows.net/t")).isFalse();
    }

    @Test
    void aSignedUrlReadsOneObjectOnlyWithoutCredentialsUntilItsExpiry() throws Exception {
        SignedReads.assertReadsOnly(storage, freshLocation());
        URI url = storage.signedReadUrl(freshLocation() + "/x", Duration.ofMinutes(15))
                .orElseThrow();
        assertThat(url.getQuery()).contains("X-Amz-Expires=900").doesNotContain(s3Proxy.getSecretKey());
    }
}
