package io.deltaplane.metadata.datafile;

import static java.util.Objects.requireNonNull;

import io.deltaplane.metadata.delta.TablePaths;
import io.deltaplane.metadata.table.TableRepository;
import io.deltaplane.metadata.table.TableRow;
import io.deltaplane.storage.Storage;
import io.deltaplane.storage.Storages;
import io.deltaplane.support.problem.ApiException;
import io.deltaplane.support.problem.ErrorCode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import org.springframework.stereotype.Service;

/**
 * Puts a data file a client wrote into a table's location, on whatever storage the table lives on,
 * with the platform's credentials: a client (the CLI's {@code tables append}, a script) writes
 * Parquet where it runs and commits the file's {@code add} after the upload, on the local disk, S3
 * or Azure alike, holding no storage credentials. The bytes are staged in a temporary file (so a
 * cut upload leaves nothing under the table) and put without replacing anything: a file is never
 * overwritten, and a repeated upload of the same bytes is answered as the first.
 */
@Service
public class DataFileUploads {

    /** The largest file taken in one upload (S3's limit for one PUT). */
    static final long MAX_SIZE = 5L * 1024 * 1024 * 1024;

    /** What was stored: its path relative to the table, its size and SHA-256; created false for a repeat. */
    public record Uploaded(String path, long size, String sha256, boolean created) {}

    private final TableRepository tables;
    private final Storages storages;

    public DataFileUploads(TableRepository tables, Storages storages) {
        this.tables = requireNonNull(tables, "tables");
        this.storages = requireNonNull(storages, "storages");
    }

    public Uploaded upload(String fullName, String path, InputStream body) {
        TableRow table = tables.require(fullName);
        String relative = checked(table, path);
        Storage storage = storages.forLocation(table.location());
        String object = storage.resolve(table.location(), relative);
        Path staged = null;
        try {
            staged = Files.createTempFile("deltaplane-upload-", ".tmp");
            MessageDigest sha = sha256();
            long size = copy(new DigestInputStream(body, sha), staged);
            String digest = HexFormat.of().formatHex(sha.digest());
            if (storage.putFileIfAbsent(object, staged)) {
                return new Uploaded(relative, size, digest, true);
            }
            if (sameBytes(storage, object, size, digest)) {
                return new Uploaded(relative, size, digest, false);
            }
            throw new ApiException(
                    ErrorCode.ALREADY_EXISTS,
                    "a different file is already at " + relative + " in " + fullName + ": files are never replaced",
                    Map.of("path", relative));
        } catch (IOException e) {
            throw new ApiException(
                    ErrorCode.SERVICE_UNAVAILABLE,
                    "the upload to " + relative + " of " + fullName + " could not be stored (" + e.getMessage()
                            + "); nothing was stored, send it again");
        } finally {
            if (staged != null) {
                try {
                    Files.deleteIfExists(staged);
                } catch (IOException ignored) {
                    // a temporary file: the OS cleans its temp directory
                }
            }
        }
    }

    /**
     * A relative path inside the table's location that is data: not {@code _delta_log}, nor any
     * other hidden path (a segment starting with {@code _} or {@code .}, partition folders aside).
     */
    private static String checked(TableRow table, String path) {
        String relative = path == null ? "" : path.startsWith("/") ? path.substring(1) : path;
        if (relative.isEmpty() || relative.contains("\\") || relative.contains("%")) {
            throw invalid(
                    "a data file's path is a relative path without backslashes or percent signs, not '" + path + "'");
        }
        try {
            TablePaths.check(table.location(), relative);
        } catch (ApiException e) {
            throw invalid(e.getMessage());
        }
        if (TablePaths.hidden(relative)) {
            throw invalid("'" + relative + "' is not a data file's path: _delta_log and paths with a segment starting"
                    + " with _ or . are not data (partition folders such as day=… are)");
        }
        return relative;
    }

    private static long copy(InputStream in, Path to) throws IOException {
        long size = 0;
        byte[] buffer = new byte[64 * 1024];
        try (OutputStream out = Files.newOutputStream(to)) {
            for (int n; (n = in.read(buffer)) > 0; ) {
                size += n;
                if (size > MAX_SIZE) {
                    throw new ApiException(
                            ErrorCode.PAYLOAD_TOO_LARGE, "a data file may be at most " + MAX_SIZE + " bytes");
                }
                out.write(buffer, 0, n);
            }
        }
        return size;
    }

    private static boolean sameBytes(Storage storage, String object, long size, String digest) throws IOException {
        if (storage.size(object).orElse(-1) != size) {
            return false;
        }
        MessageDigest sha = sha256();
        try (InputStream in = storage.open(object).orElseThrow()) {
            byte[] buffer = new byte[64 * 1024];
            for (int n; (n = in.read(buffer)) > 0; ) {
                sha.update(buffer, 0, n);
            }
        }
        return HexFormat.of().formatHex(sha.digest()).equals(digest);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static ApiException invalid(String detail) {
        return ApiException.badRequest(ErrorCode.VALIDATION_FAILED, detail);
    }
}
