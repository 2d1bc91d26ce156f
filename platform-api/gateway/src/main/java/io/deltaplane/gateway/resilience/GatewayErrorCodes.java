package io.deltaplane.gateway.resilience;

/** Error codes only the gateway produces (the shared ones are in {@code ErrorCodes}). */
public final class GatewayErrorCodes {
    /** The backend accepted the request but did not answer within its response timeout. */
    public static final String UPSTREAM_TIMEOUT = "UPSTREAM_TIMEOUT";

    private GatewayErrorCodes() {}
}
