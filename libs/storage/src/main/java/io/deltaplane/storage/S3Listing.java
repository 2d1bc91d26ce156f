package io.deltaplane.storage;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Object;

/** Lists the objects under a directory of an S3 bucket as {@link StoredFile}s, sorted by name, page by page. */
final class S3Listing {

    private final S3Client s3;

    S3Listing(S3Client s3) {
        this.s3 = s3;
    }

    /** The objects directly in {@code directory}. */
    List<StoredFile> files(String directory) throws IOException {
        return list(directory, null, "/");
    }

    /**
     * The objects directly in {@code directory} from {@code from} on. StartAfter is exclusive: the
     * listing starts after {@code from} without its last character (a key that sorts just before
     * it), and the few keys between the two are filtered out here.
     */
    List<StoredFile> filesFrom(String directory, String from) throws IOException {
        if (from.isEmpty()) {
            return list(directory, null, "/");
        }
        return list(directory, from, "/").stream()
                .filter(f -> f.name().compareTo(from) >= 0)
                .toList();
    }

    /** Every object under {@code directory}, at any depth. */
    List<StoredFile> filesUnder(String directory) throws IOException {
        return list(directory, null, null);
    }

    /** One listing of {@code directory}: its own files with delimiter "/", everything under it without. */
    private List<StoredFile> list(String directory, String from, String delimiter) throws IOException {
        ObjectLocation at = ObjectLocation.parse(directory);
        String prefix = at.directoryPrefix();
        List<StoredFile> files = new ArrayList<>();
        try {
            ListObjectsV2Request request = ListObjectsV2Request.builder()
                    .bucket(at.container())
                    .prefix(prefix)
                    .delimiter(delimiter)
                    .startAfter(from == null ? null : prefix + from.substring(0, from.length() - 1))
                    .build();
            for (ListObjectsV2Response page : s3.listObjectsV2Paginator(request)) {
                for (S3Object object : page.contents()) {
                    String name = object.key().substring(prefix.length());
                    if (!name.isEmpty()) {
                        files.add(new StoredFile(
                                name, object.size(), object.lastModified().toEpochMilli()));
                    }
                }
            }
        } catch (NoSuchKeyException e) {
            return List.of();
        } catch (SdkException e) {
            throw new IOException("S3 list of " + directory + " failed", e);
        }
        files.sort(Comparator.comparing(StoredFile::name));
        return files;
    }
}
