package io.deltaplane.client.internal;

import io.deltaplane.client.generated.lineage.invoker.ApiClient;
import io.deltaplane.client.generated.lineage.invoker.ApiException;
import io.deltaplane.client.generated.lineage.model.Uploaded;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * {@code PUT /api/v1/datasets/{bucket}/{object}} with a file streamed as the body, the one operation
 * the layer does not send through a generated method. The contract declares the body (binary,
 * {@code application/octet-stream}), but the generated {@code DatasetsApi#putDatasetsByBucketByObject}
 * still cannot upload: the {@code native} generator passes a {@code File} body through the
 * ObjectMapper (it would send the file's path as a JSON string, not the file),
 * and it percent-encodes the slashes of a nested object key, which the service's {@code {*object}}
 * path does not accept. The request is built from the generated lineage {@link ApiClient} (its
 * HttpClient, base URI, read timeout and interceptor, so auth and user agent are the same) and fails
 * like a generated call, with an {@link ApiException}, so the client's call wrapper (Calls) retries and maps it like any
 * other.
 */
public final class ArtifactUpload {

    private ArtifactUpload() {}

    /** Uploads {@code file} (never read into memory) as {@code bucket/objectPath[0]/objectPath[1]/…}. */
    public static Uploaded put(
            ApiClient api,
            String bucket,
            List<String> objectPath,
            Path file,
            String contentType,
            Map<String, String> headers)
            throws ApiException {
        String object = objectPath.stream().map(ApiClient::urlEncode).collect(Collectors.joining("/"));
        HttpRequest.BodyPublisher body;
        try {
            body = HttpRequest.BodyPublishers.ofFile(file);
        } catch (FileNotFoundException e) {
            // not a network failure: must not be retried
            throw new UncheckedIOException("Cannot read " + file, e);
        }
        HttpRequest.Builder request = HttpRequest.newBuilder(
                        URI.create(api.getBaseUri() + "/api/v1/datasets/" + ApiClient.urlEncode(bucket) + "/" + object))
                .header("Accept", "application/json, application/problem+json")
                .header("Content-Type", contentType)
                .PUT(body);
        if (api.getReadTimeout() != null) {
            request.timeout(api.getReadTimeout());
        }
        headers.forEach(request::header);
        if (api.getRequestInterceptor() != null) {
            api.getRequestInterceptor().accept(request);
        }
        try {
            HttpResponse<String> response =
                    api.getHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() / 100 != 2) {
                throw new ApiException(
                        response.statusCode(),
                        "putDatasetsByBucketByObject call failed with: " + response.statusCode(),
                        response.headers(),
                        response.body());
            }
            return api.getObjectMapper().readValue(response.body(), Uploaded.class);
        } catch (IOException e) {
            throw new ApiException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApiException(e);
        }
    }
}
