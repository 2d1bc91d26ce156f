package io.deltaplane.storage;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.UUID;

/**
 * Local file system ({@code file:} URIs and plain paths). A put writes a hidden temp file in the
 * target directory, forces it to disk and hard-links it to the final name: {@code link(2)} fails
 * when the name exists, so two writers can never overwrite each other and no reader sees a partial
 * file. The temp file is always removed.
 */
public class LocalFileStorage implements Storage {

    @Override
    public boolean supports(String location) {
        return StoragePaths.isLocal(location);
    }

    @Override
    public String resolve(String location, String name) {
        return StoragePaths.toPath(location).resolve(name).toString();
    }

    @Override
    public boolean putIfAbsent(String path, Content content) throws IOException {
        Path target = StoragePaths.toPath(path);
        Path dir = target.getParent();
        if (Files.exists(target)) {
            return false;
        }
        Files.createDirectories(dir);
        Path temp = dir.resolve("." + target.getFileName() + "." + UUID.randomUUID() + ".tmp");
        try {
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
                    OutputStream out = java.nio.channels.Channels.newOutputStream(channel)) {
                content.writeTo(out);
                out.flush();
                channel.force(true);
            }
            try {
                Files.createLink(target, temp);
            } catch (FileAlreadyExistsException e) {
                return false;
            } catch (UnsupportedOperationException e) {
                // No hard links on this file system: a plain move without REPLACE_EXISTING still
                // refuses an existing target (checked, not atomic with respect to a racing writer).
                Files.move(temp, target);
            }
            syncDirectory(dir);
            return true;
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    @Override
    public void put(String path, Content content) throws IOException {
        putTagged(path, content);
    }

    /**
     * The tag is the file's identity — device and inode, modification time to the nanosecond where
     * the file system keeps it, size — read from the temporary file before the rename, which keeps
     * all of them (read after it, it could already be a later writer's file).
     */
    @Override
    public Optional<String> putTagged(String path, Content content) throws IOException {
        Path target = StoragePaths.toPath(path);
        Path dir = target.getParent();
        Files.createDirectories(dir);
        Path temp = dir.resolve("." + target.getFileName() + "." + UUID.randomUUID() + ".tmp");
        try {
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
                    OutputStream out = java.nio.channels.Channels.newOutputStream(channel)) {
                content.writeTo(out);
                out.flush();
                channel.force(true);
            }
            String tag = identity(temp);
            // rename(2) replaces the target atomically
            Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            syncDirectory(dir);
            return Optional.of(tag);
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    @Override
    public Optional<String> tag(String path) throws IOException {
        try {
            return Optional.of(identity(StoragePaths.toPath(path)));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
    }

    private static String identity(Path file) throws IOException {
        BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
        return attributes.fileKey() + "@" + attributes.lastModifiedTime().toInstant() + "#" + attributes.size();
    }

    @Override
    public Optional<byte[]> read(String path) throws IOException {
        try {
            return Optional.of(Files.readAllBytes(StoragePaths.toPath(path)));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
    }

    @Override
    public Optional<byte[]> readOwnFile(String location, String relative) throws IOException {
        Path base = StoragePaths.toPath(location);
        Path file = StoragePaths.toPath(resolve(location, relative));
        if (!file.startsWith(base) || file.equals(base)) {
            throw new NotARegularFileException(relative + " is not a file under " + location);
        }
        // No component below the location may be a symbolic link (the file's own name included).
        Path at = base;
        for (Path part : base.relativize(file)) {
            at = at.resolve(part);
            BasicFileAttributes attributes;
            try {
                attributes = Files.readAttributes(at, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            } catch (NoSuchFileException e) {
                return Optional.empty();
            }
            if (attributes.isSymbolicLink()) {
                throw new NotARegularFileException(
                        relative + " under " + location + " is reached through a symbolic link");
            }
        }
        // Opened without following a link, so a link swapped in after the walk is refused too.
        try (FileChannel channel = FileChannel.open(file, Set.of(StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS))) {
            if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
                throw new NotARegularFileException(relative + " under " + location + " is not a regular file");
            }
            if (hardLinks(file) > 1) {
                throw new NotARegularFileException(relative + " under " + location + " has other names (a hard link)");
            }
            return Optional.of(
                    java.nio.channels.Channels.newInputStream(channel).readAllBytes());
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (java.nio.file.FileSystemException e) {
            // ELOOP: the name became a symbolic link after the walk
            throw new NotARegularFileException(
                    relative + " under " + location + " could not be read as a file: " + e.getReason());
        }
    }

    private static int hardLinks(Path file) throws IOException {
        try {
            return Files.getAttribute(file, "unix:nlink", LinkOption.NOFOLLOW_LINKS) instanceof Integer count
                    ? count
                    : 1;
        } catch (UnsupportedOperationException e) {
            return 1; // no such attribute on this file system
        }
    }

    @Override
    public Optional<InputStream> open(String path) throws IOException {
        Path file = StoragePaths.toPath(path);
        if (Files.isDirectory(file)) {
            return Optional.empty(); // a folder is not an object
        }
        try {
            return Optional.of(Files.newInputStream(file));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
    }

    @Override
    public Optional<InputStream> open(String path, long offset) throws IOException {
        if (offset < 0) {
            throw new IllegalArgumentException("negative offset " + offset);
        }
        Path file = StoragePaths.toPath(path);
        if (Files.isDirectory(file)) {
            return Optional.empty();
        }
        FileChannel channel;
        try {
            channel = FileChannel.open(file, StandardOpenOption.READ);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
        try {
            // Past the end a channel reads nothing, as the contract asks.
            channel.position(offset);
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
        return Optional.of(java.nio.channels.Channels.newInputStream(channel));
    }

    @Override
    public OptionalLong size(String path) throws IOException {
        Path file = StoragePaths.toPath(path);
        if (!Files.isRegularFile(file)) {
            return OptionalLong.empty();
        }
        try {
            return OptionalLong.of(Files.size(file));
        } catch (NoSuchFileException e) {
            return OptionalLong.empty();
        }
    }

    @Override
    public boolean delete(String path) throws IOException {
        Path file = StoragePaths.toPath(path);
        if (Files.isDirectory(file)) {
            return false; // only objects: a purge must never take a folder with what it holds
        }
        return Files.deleteIfExists(file);
    }

    @Override
    public boolean exists(String path) {
        return Files.isRegularFile(StoragePaths.toPath(path));
    }

    @Override
    public List<StoredFile> files(String directory) throws IOException {
        Path dir = StoragePaths.toPath(directory);
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        List<StoredFile> files = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            for (Path entry : entries) {
                stat(entry).ifPresent(files::add);
            }
        }
        files.sort(Comparator.comparing(StoredFile::name));
        return files;
    }

    @Override
    public List<StoredFile> filesUnder(String directory) throws IOException {
        Path dir = StoragePaths.toPath(directory);
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        List<StoredFile> files = new ArrayList<>();
        try (var walk = Files.walk(dir)) {
            for (Path file : (Iterable<Path>) walk::iterator) {
                if (!file.equals(dir)) {
                    String name = dir.relativize(file).toString().replace(java.io.File.separatorChar, '/');
                    stat(file).ifPresent(f -> files.add(new StoredFile(name, f.size(), f.modifiedMillis())));
                }
            }
        } catch (java.io.UncheckedIOException e) {
            throw e.getCause(); // a file removed while walking, or an unreadable folder
        }
        files.sort(Comparator.comparing(StoredFile::name));
        return files;
    }

    @Override
    public Optional<StoredFile> stat(String path) throws IOException {
        return stat(StoragePaths.toPath(path));
    }

    private static Optional<StoredFile> stat(Path file) throws IOException {
        BasicFileAttributes attributes;
        try {
            attributes = Files.readAttributes(file, BasicFileAttributes.class);
        } catch (NoSuchFileException e) {
            return Optional.empty(); // also one removed between listing and looking
        }
        if (!attributes.isRegularFile()) {
            return Optional.empty(); // a folder is not an object
        }
        return Optional.of(new StoredFile(
                file.getFileName().toString(),
                attributes.size(),
                attributes.lastModifiedTime().toMillis()));
    }

    /**
     * Links the file in place when it is on the same file system (no copy: fsync the file, hard-link
     * it under its name, fsync the directory); otherwise copies it like any content.
     */
    @Override
    public boolean putFileIfAbsent(String path, Path file) throws IOException {
        Path target = StoragePaths.toPath(path);
        if (Files.exists(target)) {
            return false;
        }
        Path dir = Files.createDirectories(target.getParent());
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            channel.force(true);
        }
        try {
            Files.createLink(target, file);
        } catch (FileAlreadyExistsException e) {
            return false;
        } catch (UnsupportedOperationException | java.nio.file.FileSystemException e) {
            // Another file system (a staging volume apart from the tables), or no hard links.
            return putIfAbsent(path, out -> Files.copy(file, out));
        }
        syncDirectory(dir);
        return true;
    }

    /** Makes the new directory entry durable; best effort where directories cannot be opened. */
    private static void syncDirectory(Path dir) {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            // Some platforms cannot fsync a directory; the file itself is already on disk.
        }
    }
}
