package io.deltaplane.ingest.policy;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The hosts the worker may connect to for a mapping, checked before any connection is made (at
 * create, update and validate, and again when a consumer starts, for hosts only known then, such as
 * an Event Hubs namespace read from a connection string).
 */
public final class EgressPolicy {

    private final List<String> allowed;
    private final List<String> plaintextCredentials;

    /**
     * @param allowed the operator's patterns
     * @param defaultBootstrap the worker's own default broker ({@code DELTAPLANE_KAFKA_BOOTSTRAP}),
     *     which the operator chose and so is always allowed
     */
    public EgressPolicy(List<String> allowed, String defaultBootstrap, List<String> plaintextCredentials) {
        List<String> patterns = new ArrayList<>(allowed);
        if (defaultBootstrap != null) {
            patterns.addAll(List.of(defaultBootstrap.split(",")));
        }
        this.allowed = patterns.stream()
                .map(p -> p.replaceFirst("^[A-Za-z_]+://", "").trim().toLowerCase(Locale.ROOT))
                .toList();
        this.plaintextCredentials = plaintextCredentials.stream()
                .map(p -> p.trim().toLowerCase(Locale.ROOT))
                .toList();
    }

    /** The entries of a {@code host:port[,host:port…]} list that no pattern allows. */
    public List<String> denied(String hostPorts) {
        List<String> denied = new ArrayList<>();
        for (String hostPort : hostPorts.split(",")) {
            if (!matchesAny(allowed, hostPort.trim())) {
                denied.add(hostPort.trim());
            }
        }
        return denied;
    }

    /** Throws {@link EgressDeniedException} unless every host of the list is allowed. */
    public void require(String hostPorts) {
        List<String> denied = denied(hostPorts);
        if (!denied.isEmpty()) {
            throw new EgressDeniedException(denied);
        }
    }

    /** Whether credentials may be sent unencrypted to every host of the list. */
    public boolean plaintextCredentialsAllowed(String hostPorts) {
        for (String hostPort : hostPorts.split(",")) {
            if (!matchesAny(plaintextCredentials, hostPort.trim())) {
                return false;
            }
        }
        return true;
    }

    static boolean matchesAny(List<String> patterns, String hostPort) {
        String candidate = hostPort.toLowerCase(Locale.ROOT);
        int colon = candidate.lastIndexOf(':');
        String host = colon < 0 ? candidate : candidate.substring(0, colon);
        String port = colon < 0 ? null : candidate.substring(colon + 1);
        for (String pattern : patterns) {
            int p = pattern.lastIndexOf(':');
            String patternHost = p < 0 ? pattern : pattern.substring(0, p);
            String patternPort = p < 0 ? null : pattern.substring(p + 1);
            boolean hostMatches = patternHost.startsWith("*.")
                    ? host.endsWith(patternHost.substring(1)) && host.length() > patternHost.length() - 1
                    : host.equals(patternHost);
            boolean portMatches = patternPort == null || patternPort.equals(port);
            if (hostMatches && portMatches) {
                return true;
            }
        }
        return false;
    }

    /** A mapping would make the worker connect to a host the operator did not allow. */
    public static final class EgressDeniedException extends IllegalStateException {
        public EgressDeniedException(List<String> hosts) {
            super("Not an allowed host for ingest (deltaplane.ingest.policy.allowed-hosts): "
                    + String.join(", ", hosts));
        }
    }
}
