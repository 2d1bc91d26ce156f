package io.deltaplane.storage;

import static io.deltaplane.storage.AzureFailures.transportFailure;

import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.models.BlobItem;
import com.azure.storage.blob.models.BlobListDetails;
import com.azure.storage.blob.models.BlobStorageException;
import com.azure.storage.blob.models.ListBlobsOptions;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;

/** Lists the blobs under a directory of an Azure container as {@link StoredFile}s, sorted by name. */
final class AzureBlobListing {

    private final Function<ObjectLocation, BlobContainerClient> containers;

    /** @param containers the container client of a location (resolved when a listing runs) */
    AzureBlobListing(Function<ObjectLocation, BlobContainerClient> containers) {
        this.containers = containers;
    }

    /**
     * The blobs directly in {@code directory}, from {@code from} on when not null: List Blobs'
     * {@code startFrom} is inclusive, so the listing begins at {@code from}.
     */
    List<StoredFile> files(String directory, String from) throws IOException {
        ObjectLocation at = ObjectLocation.parse(directory);
        String prefix = at.directoryPrefix();
        ListBlobsOptions options = new ListBlobsOptions().setPrefix(prefix);
        if (from != null) {
            options.setStartFrom(prefix + from);
        }
        // a prefix item is a sub-"directory", not a file directly in this one
        return listing(
                directory,
                prefix,
                () -> containers.apply(at).listBlobsByHierarchy("/", options, null),
                item -> !Boolean.TRUE.equals(item.isPrefix()));
    }

    /**
     * One flat listing of every blob under {@code directory}. On an account with a hierarchical
     * namespace (ADLS Gen2) folders are listed as empty blobs marked {@code hdi_isfolder}: skipped.
     */
    List<StoredFile> filesUnder(String directory) throws IOException {
        ObjectLocation at = ObjectLocation.parse(directory);
        String prefix = at.directoryPrefix();
        ListBlobsOptions options =
                new ListBlobsOptions().setPrefix(prefix).setDetails(new BlobListDetails().setRetrieveMetadata(true));
        return listing(
                directory,
                prefix,
                () -> containers.apply(at).listBlobs(options, null),
                item -> item.getMetadata() == null
                        || !"true".equalsIgnoreCase(item.getMetadata().get("hdi_isfolder")));
    }

    /** The listed blobs {@code keep} takes, named relative to {@code prefix}, sorted by name. */
    private static List<StoredFile> listing(
            String directory, String prefix, Supplier<Iterable<BlobItem>> list, Predicate<BlobItem> keep)
            throws IOException {
        List<StoredFile> files = new ArrayList<>();
        try {
            for (BlobItem item : list.get()) {
                String name = item.getName().substring(prefix.length());
                if (keep.test(item) && !name.isEmpty()) {
                    files.add(new StoredFile(
                            name,
                            item.getProperties().getContentLength(),
                            item.getProperties().getLastModified().toInstant().toEpochMilli()));
                }
            }
        } catch (BlobStorageException e) {
            if (AzureFailures.notFound(e)) {
                return List.of(); // no such container
            }
            throw new IOException("Listing " + directory + " failed", e);
        } catch (RuntimeException e) {
            throw transportFailure("Listing " + directory + " failed", e);
        }
        files.sort(Comparator.comparing(StoredFile::name));
        return files;
    }
}
