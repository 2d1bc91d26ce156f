package io.deltaplane.gateway;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Random;

/**
 * A deterministic byte stream of any length, produced on the fly (never held in memory): a random
 * 64 KiB block repeated, each copy stamped with its index so reordered or dropped blocks change the
 * checksum.
 */
final class StreamData extends InputStream {

    static final int BLOCK = 64 * 1024;
    private static final byte[] PATTERN = new byte[BLOCK];

    static {
        new Random(42).nextBytes(PATTERN);
    }

    private final long length;
    private final byte[] block = new byte[BLOCK];
    private long position;

    StreamData(long length) {
        this.length = length;
    }

    @Override
    public int read() {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] buffer, int offset, int len) {
        if (position >= length) {
            return -1;
        }
        int inBlock = (int) (position % BLOCK);
        if (inBlock == 0) {
            fill(position / BLOCK);
        }
        int n = (int) Math.min(Math.min(len, BLOCK - inBlock), length - position);
        System.arraycopy(block, inBlock, buffer, offset, n);
        position += n;
        return n;
    }

    private void fill(long index) {
        System.arraycopy(PATTERN, 0, block, 0, BLOCK);
        for (int i = 0; i < 8; i++) {
            block[i] = (byte) (index >>> (8 * i));
        }
    }

    static void write(long bytes, OutputStream out) throws IOException {
        try (InputStream in = new StreamData(bytes)) {
            in.transferTo(out);
        }
    }

    /** SHA-256 (hex) of the first {@code bytes} bytes of the stream. */
    static String sha256(long bytes) throws IOException {
        MessageDigest sha = newSha256();
        byte[] buffer = new byte[BLOCK];
        try (InputStream in = new StreamData(bytes)) {
            int n;
            while ((n = in.read(buffer, 0, buffer.length)) > 0) {
                sha.update(buffer, 0, n);
            }
        }
        return HexFormat.of().formatHex(sha.digest());
    }

    static MessageDigest newSha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
