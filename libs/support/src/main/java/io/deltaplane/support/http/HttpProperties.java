package io.deltaplane.support.http;

import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Request limits ({@code deltaplane.http.*}).
 *
 * @param maxRequestBody largest body accepted on ordinary endpoints
 * @param streamingPaths Ant patterns of endpoints that stream bodies of any size (artifact uploads)
 */
@ConfigurationProperties("deltaplane.http")
public record HttpProperties(
        @DefaultValue("16MB") DataSize maxRequestBody,
        @DefaultValue({}) List<String> streamingPaths) {

    public HttpProperties {
        if (maxRequestBody.toBytes() <= 0) {
            throw new IllegalArgumentException("deltaplane.http.max-request-body must be positive");
        }
        streamingPaths = List.copyOf(streamingPaths);
    }
}
