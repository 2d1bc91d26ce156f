package io.deltaplane.support.request;

import java.util.UUID;
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

    public static boolean isValid(String candidate) {
        return candidate != null && VALID.matcher(candidate).matches();
    }

    public static String generate() {
        return UUID.randomUUID().toString();
    }
}
