package io.deltaplane.support.security;

import static java.util.Objects.requireNonNull;

import jakarta.servlet.http.HttpServletRequest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Optional;

/**
 * Throttles failed authentications without locking anyone else out, counted two ways: by the
 * client's address ({@link ClientAddresses}) and by the credential presented (its hash, never the
 * key). A credential that keeps failing is refused (429) before it is even looked up, from any
 * address. An address that keeps failing has every further failure answered 429 — but a valid key
 * from it still works, so clients sharing an address behind NAT or an ingress are not locked out by
 * one of them.
 */
public final class AuthenticationThrottle {

    private final FailedAuthenticationLimiter byAddress;
    private final FailedAuthenticationLimiter byCredential;
    private final ClientAddresses addresses;

    public AuthenticationThrottle(
            FailedAuthenticationLimiter byAddress,
            FailedAuthenticationLimiter byCredential,
            ClientAddresses addresses) {
        this.byAddress = requireNonNull(byAddress, "byAddress");
        this.byCredential = requireNonNull(byCredential, "byCredential");
        this.addresses = requireNonNull(addresses, "addresses");
    }

    /** How long the credential this request presents must wait, when it has failed too often. */
    public Optional<Duration> credentialBlocked(HttpServletRequest request) {
        return ApiKeyRequests.presentedKey(request).flatMap(key -> byCredential.blocked(credential(key)));
    }

    /**
     * Counts a failed authentication; how long to wait when the address or the credential had
     * already failed too often before it (then the answer is 429, not 401).
     */
    public Optional<Duration> failed(HttpServletRequest request) {
        return failed(request, ApiKeyRequests.presentedKey(request));
    }

    /** How long {@code presentedKey} must wait, when it has failed too often (a key presented in a request's body). */
    public Optional<Duration> credentialBlocked(String presentedKey) {
        return byCredential.blocked(credential(presentedKey));
    }

    /** {@link #failed(HttpServletRequest)} for a key the request presents in its body, not its headers. */
    public Optional<Duration> failed(HttpServletRequest request, Optional<String> presentedKey) {
        String address = addresses.of(request);
        Optional<String> credential = presentedKey.map(AuthenticationThrottle::credential);
        Optional<Duration> wait = byAddress.blocked(address).or(() -> credential.flatMap(byCredential::blocked));
        byAddress.failed(address);
        credential.ifPresent(byCredential::failed);
        return wait;
    }

    private static String credential(String presentedKey) {
        return HexFormat.of().formatHex(ApiKeyHashing.hash(presentedKey));
    }
}
