package io.deltaplane.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.providers.AwsRegionProvider;

/**
 * Where the S3 client's region comes from: the settings the operator gave, never the EC2 instance
 * metadata service (169.254.169.254), which the SDK's default chain would ask — a connection nobody
 * configured, made from every replica that meets an S3 table on a machine without S3 settings.
 */
class S3RegionTest {

    @Test
    void aNamedRegionIsUsed() {
        try (var s3 = S3Clients.fromEnvironment(Map.of("AWS_REGION", "eu-west-1"))) {
            assertThat(s3.serviceClientConfiguration().region()).isEqualTo(Region.EU_WEST_1);
        }
    }

    @Test
    void anS3CompatibleEndpointNeedsNone() {
        try (var s3 = S3Clients.fromEnvironment(Map.of("AWS_ENDPOINT_URL_S3", "http://127.0.0.1:9"))) {
            assertThat(s3.serviceClientConfiguration().region()).isEqualTo(Region.US_EAST_1);
        }
    }

    @Test
    void withoutOneTheClientIsRefusedAndSaysWhatToSet() {
        // The operator's settings name no region (as on a machine without AWS settings).
        AwsRegionProvider none = () -> {
            throw SdkClientException.create("no region in the settings");
        };
        assertThatThrownBy(() -> S3Clients.region(Map.of(), false, none))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("AWS_REGION")
                .hasMessageContaining("instance metadata");
        assertThat(S3Clients.region(Map.of("AWS_REGION", "eu-west-1"), false, none))
                .isEqualTo(Region.EU_WEST_1);
    }
}
