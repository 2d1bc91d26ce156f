package io.deltaplane.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * What a reader outside the platform does with a signed read URL: plain HTTP, no credentials. Shared
 * by the S3 and Azure backend tests (the local file system has no signed URLs).
 */
final class SignedReads {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private SignedReads() {}

    /** The URL reads the object, and only reads it: a PUT with it, or the URL for another key, is refused. */
    static void assertReadsOnly(Storage storage, String location) throws Exception {
        String path = storage.resolve(location, "part-0.parquet");
        storage.putIfAbsent(path, "the bytes".getBytes(StandardCharsets.UTF_8));
        URI url = storage.signedReadUrl(path, Duration.ofMinutes(15)).orElseThrow();

        HttpResponse<String> read =
                HTTP.send(HttpRequest.newBuilder(url).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(read.statusCode()).isEqualTo(200);
        assertThat(read.body()).isEqualTo("the bytes");

        HttpResponse<String> write = HTTP.send(
                HttpRequest.newBuilder(url)
                        .PUT(HttpRequest.BodyPublishers.ofString("overwritten"))
                        .header("x-ms-blob-type", "BlockBlob")
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(write.statusCode()).as("a PUT with a read URL").isEqualTo(403);

        storage.putIfAbsent(storage.resolve(location, "other.parquet"), new byte[] {1});
        URI other = URI.create(url.toString().replace("part-0.parquet", "other.parquet"));
        HttpResponse<String> elsewhere =
                HTTP.send(HttpRequest.newBuilder(other).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(elsewhere.statusCode())
                .as("the URL signed for another object")
                .isEqualTo(403);

        assertThat(storage.read(path))
                .hasValueSatisfying(bytes ->
                        assertThat(new String(bytes, StandardCharsets.UTF_8)).isEqualTo("the bytes"));
    }
}
