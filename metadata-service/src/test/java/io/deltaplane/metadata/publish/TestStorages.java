package io.deltaplane.metadata.publish;

import io.deltaplane.storage.Storage;
import io.deltaplane.storage.StoredFile;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import java.util.function.BiPredicate;

/** Storage wrappers that let tests crash or watch a publisher at a precise point. */
final class TestStorages {

    private TestStorages() {}

    /** Stands for the process dying: an Error, which nothing in the publisher catches. */
    static final class SimulatedCrash extends Error {
        SimulatedCrash(String message) {
            super(message);
        }
    }

    interface PutHook {
        /** Called around a put; may throw {@link SimulatedCrash}. */
        void put(Storage real, String path, byte[] content, boolean before) throws IOException;

        /** Called after a put with what the store answered: true if this put created the file. */
        default void created(String path, boolean created) {}
    }

    static Storage wrap(Storage real, PutHook hook) {
        return new Storage() {
            @Override
            public boolean supports(String location) {
                return real.supports(location);
            }

            @Override
            public String resolve(String location, String name) {
                return real.resolve(location, name);
            }

            @Override
            public boolean putIfAbsent(String path, byte[] content) throws IOException {
                hook.put(real, path, content, true);
                boolean created = real.putIfAbsent(path, content);
                hook.created(path, created);
                hook.put(real, path, content, false);
                return created;
            }

            @Override
            public boolean putIfAbsent(String path, Content content) throws IOException {
                java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
                content.writeTo(bytes);
                return putIfAbsent(path, bytes.toByteArray());
            }

            @Override
            public void put(String path, Content content) throws IOException {
                real.put(path, content);
            }

            @Override
            public Optional<byte[]> read(String path) throws IOException {
                return real.read(path);
            }

            @Override
            public Optional<java.io.InputStream> open(String path) throws IOException {
                return real.open(path);
            }

            @Override
            public Optional<java.io.InputStream> open(String path, long offset) throws IOException {
                return real.open(path, offset);
            }

            @Override
            public java.util.OptionalLong size(String path) throws IOException {
                return real.size(path);
            }

            @Override
            public Optional<StoredFile> stat(String path) throws IOException {
                return real.stat(path);
            }

            @Override
            public boolean delete(String path) throws IOException {
                return real.delete(path);
            }

            @Override
            public boolean exists(String path) throws IOException {
                return real.exists(path);
            }

            @Override
            public List<String> list(String directory) throws IOException {
                return real.list(directory);
            }

            @Override
            public List<StoredFile> filesUnder(String directory) throws IOException {
                return real.filesUnder(directory);
            }

            @Override
            public List<StoredFile> files(String directory) throws IOException {
                return real.files(directory);
            }
        };
    }

    /** A hook that crashes when {@code when(path, before)} holds. */
    static PutHook crashWhen(BiPredicate<String, Boolean> when) {
        return (real, path, content, before) -> {
            if (when.test(path, before)) {
                throw new SimulatedCrash(
                        "simulated crash at " + path + (before ? " (before write)" : " (after write)"));
            }
        };
    }
}
