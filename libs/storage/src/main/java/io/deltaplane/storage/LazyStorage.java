package io.deltaplane.storage;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * A backend built on first use: {@link #supports} answers from the location's scheme alone, so a
 * deployment whose tables are all local never loads the AWS or Azure SDK, nor needs credentials
 * for them.
 */
final class LazyStorage implements Storage {

    private final Predicate<String> serves;
    private final Supplier<Storage> factory;
    private volatile Storage delegate;

    LazyStorage(Predicate<String> serves, Supplier<Storage> factory) {
        this.serves = serves;
        this.factory = factory;
    }

    private Storage delegate() {
        Storage d = delegate;
        if (d == null) {
            synchronized (this) {
                d = delegate;
                if (d == null) {
                    d = factory.get();
                    delegate = d;
                }
            }
        }
        return d;
    }

    /** True once the backend has been built (for tests and health output). */
    boolean started() {
        return delegate != null;
    }

    @Override
    public boolean supports(String location) {
        return serves.test(location);
    }

    @Override
    public String resolve(String location, String name) {
        return ObjectLocation.join(location, name);
    }

    @Override
    public boolean putIfAbsent(String path, Content content) throws IOException {
        return delegate().putIfAbsent(path, content);
    }

    @Override
    public void put(String path, Content content) throws IOException {
        delegate().put(path, content);
    }

    @Override
    public Optional<String> putTagged(String path, Content content) throws IOException {
        return delegate().putTagged(path, content);
    }

    @Override
    public Optional<String> tag(String path) throws IOException {
        return delegate().tag(path);
    }

    @Override
    public Optional<byte[]> read(String path) throws IOException {
        return delegate().read(path);
    }

    @Override
    public Optional<byte[]> readOwnFile(String location, String relative) throws IOException {
        return delegate().readOwnFile(location, relative);
    }

    @Override
    public Optional<InputStream> open(String path) throws IOException {
        return delegate().open(path);
    }

    @Override
    public Optional<InputStream> open(String path, long offset) throws IOException {
        return delegate().open(path, offset);
    }

    @Override
    public OptionalLong size(String path) throws IOException {
        return delegate().size(path);
    }

    @Override
    public Optional<StoredFile> stat(String path) throws IOException {
        return delegate().stat(path);
    }

    @Override
    public boolean delete(String path) throws IOException {
        return delegate().delete(path);
    }

    @Override
    public boolean exists(String path) throws IOException {
        return delegate().exists(path);
    }

    @Override
    public List<String> list(String directory) throws IOException {
        return delegate().list(directory);
    }

    @Override
    public List<StoredFile> files(String directory) throws IOException {
        return delegate().files(directory);
    }

    @Override
    public List<StoredFile> filesFrom(String directory, String from) throws IOException {
        return delegate().filesFrom(directory, from);
    }

    @Override
    public List<StoredFile> filesUnder(String directory) throws IOException {
        return delegate().filesUnder(directory);
    }

    @Override
    public boolean putIfAbsent(String path, byte[] content) throws IOException {
        return delegate().putIfAbsent(path, content);
    }

    @Override
    public boolean putFileIfAbsent(String path, java.nio.file.Path file) throws IOException {
        return delegate().putFileIfAbsent(path, file);
    }

    @Override
    public Optional<java.net.URI> signedReadUrl(String path, java.time.Duration validFor) throws IOException {
        return delegate().signedReadUrl(path, validFor);
    }
}
