package io.deltaplane.storage;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.S3ServiceClientConfiguration;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/** Presigns GET URLs for S3 objects, with a presigner built on first use from the client's settings. */
final class S3ReadUrls {

    private final S3Client s3;
    private volatile S3Presigner presigner;

    S3ReadUrls(S3Client s3) {
        this.s3 = s3;
    }

    /**
     * An S3 presigned GET, signed with the client's credentials and valid for {@code validFor} (at
     * most 7 days; less when the credentials are temporary, e.g. IRSA's, which expire sooner).
     */
    URI signedRead(String path, Duration validFor) throws IOException {
        ObjectLocation at = ObjectLocation.parse(path);
        try {
            return presigner()
                    .presignGetObject(request -> request.signatureDuration(validFor)
                            .getObjectRequest(get -> get.bucket(at.container()).key(at.key())))
                    .url()
                    .toURI();
        } catch (SdkException | URISyntaxException e) {
            throw new IOException("Signing a read of " + path + " failed", e);
        }
    }

    private S3Presigner presigner() {
        S3Presigner current = presigner;
        if (current == null) {
            synchronized (this) {
                if (presigner == null) {
                    // The client's own region, endpoint and credentials, so a URL works where the
                    // client does (path-style for S3-compatible endpoints, as the client).
                    S3ServiceClientConfiguration config = s3.serviceClientConfiguration();
                    S3Presigner.Builder builder = S3Presigner.builder()
                            .region(config.region())
                            .credentialsProvider(config.credentialsProvider());
                    config.endpointOverride()
                            .ifPresent(endpoint -> builder.endpointOverride(endpoint)
                                    .serviceConfiguration(S3Configuration.builder()
                                            .pathStyleAccessEnabled(true)
                                            .build()));
                    presigner = builder.build();
                }
                current = presigner;
            }
        }
        return current;
    }
}
