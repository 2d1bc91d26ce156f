package io.deltaplane.gateway.resilience;

import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.util.Locale;
import org.apache.hc.client5.http.ConnectTimeoutException;

/** Classifies what went wrong talking to a backend. */
final class UpstreamFailures {

    private UpstreamFailures() {}

    /** The backend was never reached: nothing was sent, so any request may be tried again. */
    static boolean notConnected(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ConnectException
                    || t instanceof NoRouteToHostException
                    || t instanceof UnknownHostException
                    || t instanceof ConnectTimeoutException) {
                return true;
            }
            if (t instanceof SocketTimeoutException
                    && t.getMessage() != null
                    && t.getMessage().toLowerCase(Locale.ROOT).contains("connect")) {
                return true;
            }
        }
        return false;
    }

    /** The backend accepted the request but stayed silent longer than its response timeout. */
    static boolean timedOut(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SocketTimeoutException) {
                return !notConnected(t);
            }
        }
        return false;
    }

    /**
     * The connection broke after the request went out and before an answer came (the backend was
     * killed or restarted mid-request): whether it took effect is unknown.
     */
    static boolean connectionLost(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof java.io.IOException) {
                return !notConnected(e) && !timedOut(e);
            }
        }
        return false;
    }

    /** Statuses that say the backend (not the request) is in trouble. */
    static boolean unavailableStatus(int status) {
        return status == 502 || status == 503 || status == 504;
    }
}
