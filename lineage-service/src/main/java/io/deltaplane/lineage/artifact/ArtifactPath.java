package io.deltaplane.lineage.artifact;

import static java.util.Objects.requireNonNull;

import io.deltaplane.support.problem.ApiException;
import io.deltaplane.support.problem.ErrorCode;
import java.util.regex.Pattern;

/**
 * Where an artifact lives: a bucket and an object key of {@code /}-separated segments. Validated so
 * that no name can leave the storage root: no {@code .}/{@code ..} segments, no empty segment (an
 * absolute path), no backslash, colon or control character.
 */
public record ArtifactPath(String bucket, String key) {

    /** The API path prefix artifacts are served under; also the prefix of their URIs. */
    public static final String API_PREFIX = "/api/v1/datasets/";

    private static final Pattern BUCKET = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,62}");
    private static final Pattern SEGMENT = Pattern.compile("[^\\\\/:\\p{Cntrl}]{1,255}");
    private static final int MAX_KEY = 1024;

    public ArtifactPath {
        requireNonNull(bucket, "bucket");
        requireNonNull(key, "key");
        if (!BUCKET.matcher(bucket).matches() || bucket.equals("..") || bucket.contains("..")) {
            throw invalid("bucket name '" + printable(bucket) + "' is not allowed");
        }
        if (key.isEmpty() || key.length() > MAX_KEY) {
            throw invalid("an object key needs 1 to " + MAX_KEY + " characters");
        }
        for (String segment : key.split("/", -1)) {
            if (segment.equals(".")
                    || segment.equals("..")
                    || !SEGMENT.matcher(segment).matches()) {
                throw invalid(
                        "object key '" + printable(key) + "' has a forbidden segment '" + printable(segment) + "'");
            }
        }
    }

    /** From the request path: {@code object} is what follows the bucket (a leading slash is dropped). */
    public static ArtifactPath of(String bucket, String object) {
        String key = object != null && object.startsWith("/") ? object.substring(1) : object;
        return new ArtifactPath(bucket, key == null ? "" : key);
    }

    /** The artifact's URI: its API path, which GET downloads (through the gateway too). */
    public String uri() {
        return API_PREFIX + bucket + "/" + key;
    }

    /** The path an artifact URI names, if it is one of ours. */
    public static java.util.Optional<ArtifactPath> fromUri(String uri) {
        if (uri == null || !uri.startsWith(API_PREFIX)) {
            return java.util.Optional.empty();
        }
        String rest = uri.substring(API_PREFIX.length());
        int slash = rest.indexOf('/');
        if (slash <= 0) {
            throw invalid("artifact URI '" + printable(uri) + "' names no object");
        }
        return java.util.Optional.of(of(rest.substring(0, slash), rest.substring(slash)));
    }

    static ApiException invalid(String detail) {
        return ApiException.badRequest(ErrorCode.INVALID_PATH, "Invalid artifact path: " + detail + ".");
    }

    private static String printable(String s) {
        String cleaned = s.replaceAll("\\p{Cntrl}", "?");
        return cleaned.length() > 80 ? cleaned.substring(0, 80) + "…" : cleaned;
    }
}
