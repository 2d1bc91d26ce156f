package io.deltaplane.support.request;

import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;
import org.slf4j.MDC;

/** The request id that follows a call through the gateway, the services and their logs. */
public final class RequestIds {

    public static final String HEADER = "X-Request-Id";
    public static final String MDC_KEY = "request_id";

    // Ids come from clients: accept only short, printable ids so they are safe in logs and headers.
    private static final Pattern VALID = Pattern.compile("[A-Za-z0-9._:-]{1,128}");

    private RequestIds() {}

    /** The id of the request being handled on this thread, or null outside a request. */
    public static String current() {
        return MDC.get(MDC_KEY);
    }

    /**
     * Puts back the id this thread had before a background task set its own ({@code null}: none);
     * the task read it with {@link #current()}.
     */
    public static void restore(String previous) {
        if (previous == null) {
            MDC.remove(MDC_KEY);
        } else {
            MDC.put(MDC_KEY, previous);
        }
    }

    public static boolean isValid(String candidate) {
        return candidate != null && VALID.matcher(candidate).matches();
    }

    /**
     * A random UUID-shaped id. It only has to be unique, not unguessable, so it comes from
     * ThreadLocalRandom rather than {@link UUID#randomUUID()}, whose SecureRandom is shared by all
     * request threads and shows up in the gateway's profile.
     */
    public static String generate() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        long most = (random.nextLong() & ~0xF000L) | 0x4000L; // version 4
        long least = (random.nextLong() & ~(0xC000L << 48)) | (0x8000L << 48); // IETF variant
        return new UUID(most, least).toString();
    }
}
