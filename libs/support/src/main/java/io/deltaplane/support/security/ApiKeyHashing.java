package io.deltaplane.support.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * Makes and hashes API keys. Keys are 256 random bits, so a plain SHA-256 is enough to store them
 * (no password stretching needed), and lets a presented key be found by an indexed lookup.
 */
public final class ApiKeyHashing {

    /** Every generated key starts with this, so leaked keys are easy to grep for. */
    public static final String KEY_PREFIX = "dp_";

    private static final SecureRandom RANDOM = new SecureRandom();

    private ApiKeyHashing() {}

    public static String newKey() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return KEY_PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    public static byte[] hash(String key) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    /** Constant-time comparison, so response times say nothing about how much of a hash matched. */
    public static boolean matches(byte[] expectedHash, byte[] actualHash) {
        return MessageDigest.isEqual(expectedHash, actualHash);
    }

    /** The first characters of a key, safe to show and log. */
    public static String displayPrefix(String key) {
        return key.substring(0, Math.min(key.length(), KEY_PREFIX.length() + 6));
    }
}
