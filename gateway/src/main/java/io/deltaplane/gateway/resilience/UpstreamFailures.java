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
     * The connection to the backend broke after the request went out and before an answer came (the
     * backend was killed or restarted mid-request): whether it took effect is unknown. Only the
     * outbound client's failures count (a reset, an early end of stream, no response); a caller that
     * went away mid-upload is not the backend's failure.
     */
    static boolean connectionLost(Throwable e) {
        boolean outbound = false;
        boolean broken = false;
        for (Throwable t = e; t != null; t = t.getCause()) {
            String name = t.getClass().getName();
            if (name.equals("org.apache.catalina.connector.ClientAbortException")) {
                return false;
            }
            outbound |= t instanceof org.springframework.web.client.ResourceAccessException;
            broken |= t instanceof java.net.SocketException
                    || t instanceof java.io.EOFException
                    || t instanceof org.apache.hc.core5.http.NoHttpResponseException
                    || t instanceof org.apache.hc.core5.http.ConnectionClosedException;
        }
        return outbound && broken && !notConnected(e) && !timedOut(e);
    }

    /** Statuses that say the backend (not the request) is in trouble. */
    static boolean unavailableStatus(int status) {
        return status == 502 || status == 503 || status == 504;
    }
}
