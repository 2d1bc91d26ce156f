package io.deltaplane.storage;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Where table files and {@code _delta_log} live. Kept to what object stores can also do honestly:
 * a write that never overwrites, whole-object and ranged reads, listing, existence. Paths are table locations
 * ({@code file:/abs/dir}, or a plain path) joined with relative names by {@link #resolve}.
 */
public interface Storage {

    /** True if this storage serves {@code location} (by URI scheme). */
    boolean supports(String location);

    /** {@code location} joined with a relative {@code name} ("_delta_log/00…0.json"). */
    String resolve(String location, String name);

    /**
     * Writes {@code content} at {@code path} only if nothing is there. Readers never see a partial
     * file: either the whole content is visible under {@code path}, or nothing.
     *
     * @return true if this call created the file, false if a file already existed (untouched)
     */
    default boolean putIfAbsent(String path, byte[] content) throws IOException {
        return putIfAbsent(path, out -> out.write(content));
    }

    /**
     * Streams what {@code content} writes to {@code path} only if nothing is there, with the same
     * guarantees as {@link #putIfAbsent(String, byte[])}: large objects (checkpoints, artifacts) are
     * never held whole in memory, and nothing is visible under {@code path} until the stream is
     * complete.
     *
     * @return true if this call created the file, false if a file already existed (untouched)
     */
    boolean putIfAbsent(String path, Content content) throws IOException;

    /**
     * Puts a local file's bytes at {@code path} only if nothing is there, with the guarantees of
     * {@link #putIfAbsent(String, Content)}. The file is the caller's to delete afterwards. Backends
     * may do better than a copy (a hard link on the same local file system, a file-based upload).
     *
     * @return true if this call created the object, false if one already existed (untouched)
     */
    default boolean putFileIfAbsent(String path, java.nio.file.Path file) throws IOException {
        return putIfAbsent(path, out -> java.nio.file.Files.copy(file, out));
    }

    /**
     * Writes {@code content} at {@code path}, replacing whatever is there, atomically: readers see
     * the old object or the new one, never a partial one. Only for the files the Delta protocol
     * replaces in place ({@code _delta_log/_last_checkpoint}); everything else is {@link
     * #putIfAbsent}.
     */
    void put(String path, Content content) throws IOException;

    /**
     * As {@link #put}, and returns a tag of this one write: while {@link #tag} answers the same tag
     * for {@code path}, the object there is the one this call wrote, not a later writer's. On S3 and
     * Azure the tag is the upload's mark in the object's metadata (a UUID); empty where the backend
     * cannot tell one write from another.
     */
    default Optional<String> putTagged(String path, Content content) throws IOException {
        put(path, content);
        return Optional.empty();
    }

    /**
     * The tag of the write that made the object at {@code path} (see {@link #putTagged}): empty if
     * there is none, or the backend keeps none; an object written by another tool has a tag no
     * write of ours returned.
     */
    default Optional<String> tag(String path) throws IOException {
        return Optional.empty();
    }

    /** Writes an object's bytes to the stream a {@link Storage} hands it. */
    @FunctionalInterface
    interface Content {
        void writeTo(OutputStream out) throws IOException;
    }

    /** The whole file, or empty if there is none. */
    default Optional<byte[]> read(String path) throws IOException {
        Optional<InputStream> in = open(path);
        if (in.isEmpty()) {
            return Optional.empty();
        }
        try (InputStream stream = in.get()) {
            return Optional.of(stream.readAllBytes());
        }
    }

    /**
     * The file {@code relative} under {@code location}, whole, or empty if there is none — only if it
     * is this location's own file: on a file system, a regular file with no other name (no hard
     * link) and with no symbolic link between {@code location} and it. For bytes an engine wrote
     * that a catalog ratifies (a staged commit): a link could hand it another table's file. Object
     * stores have no links; there it is {@link #read}.
     *
     * @throws NotARegularFileException when it is a link, is reached through one, or is no regular file
     */
    default Optional<byte[]> readOwnFile(String location, String relative) throws IOException {
        return read(resolve(location, relative));
    }

    /**
     * The object as a stream, for files too large to hold whole (checkpoints, data files read by
     * Kernel, artifacts); empty if there is none. The caller closes the stream.
     */
    default Optional<InputStream> open(String path) throws IOException {
        return open(path, 0);
    }

    /**
     * The object from byte {@code offset} on (a ranged read: object stores fetch only that part), for
     * seeking readers such as Parquet's; empty if there is none. An offset at or past the end gives
     * an empty stream. The caller closes the stream.
     */
    Optional<InputStream> open(String path, long offset) throws IOException;

    /** The object's size in bytes, or empty if there is none. */
    OptionalLong size(String path) throws IOException;

    /** The object's name, size and modification time, or empty if there is none. */
    Optional<StoredFile> stat(String path) throws IOException;

    /**
     * Removes the object at {@code path} (never a directory and what it holds).
     *
     * @return true if this call removed it, false if there was none
     */
    boolean delete(String path) throws IOException;

    boolean exists(String path) throws IOException;

    /** Names (not paths) of the files directly in {@code directory}, sorted; empty if it does not exist. */
    default List<String> list(String directory) throws IOException {
        return files(directory).stream().map(StoredFile::name).toList();
    }

    /**
     * The files directly in {@code directory} with their sizes and modification times, sorted by
     * name; empty if it does not exist. One listing, however many files (no request per file).
     */
    List<StoredFile> files(String directory) throws IOException;

    /**
     * Every file under {@code directory}, at any depth, each named by its path relative to it
     * ({@code day=2026-11-01/part-0.parquet}), sorted by that path; empty if there are none. What
     * VACUUM compares with the files a table's versions reference. On the object stores one flat
     * listing (pages of 1,000), with no request per folder.
     */
    List<StoredFile> filesUnder(String directory) throws IOException;

    /**
     * The files directly in {@code directory} whose names sort at or after {@code from}, sorted by
     * name; empty if there are none. The object stores start their one listing there (S3's {@code
     * StartAfter}, Azure's {@code startFrom}) instead of paging through the whole directory, so
     * watching a long {@code _delta_log} for its next versions costs one small request however many
     * versions it holds.
     */
    default List<StoredFile> filesFrom(String directory, String from) throws IOException {
        return files(directory).stream()
                .filter(f -> f.name().compareTo(from) >= 0)
                .toList();
    }

    /**
     * A URL with which anyone may read (GET, nothing else) the object at {@code path} for {@code
     * validFor}, without the platform's credentials: an S3 presigned GET, an Azure blob SAS signed
     * with the account key or a user delegation key. What Delta Sharing hands its readers. Empty
     * where the backend has no such thing (the local file system: readers use the path).
     */
    default Optional<java.net.URI> signedReadUrl(String path, java.time.Duration validFor) throws IOException {
        return Optional.empty();
    }
}
