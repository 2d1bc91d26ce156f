package io.deltaplane.support.security;

/**
 * What a request authenticated with, whichever way: a stored {@link ApiKey}, or a single sign-on
 * access token ({@link OidcCredential}). Either acts for a principal, with that principal's grants.
 */
public sealed interface Credential permits ApiKey, OidcCredential {

    /** The principal the request acts for. */
    String principal();

    /** How the request authenticated, as the audit trail records it: {@code api_key:<id>}, {@code oidc:<issuer>|<subject>}. */
    String authentication();

    /**
     * What stands for this caller in per-caller limits and idempotency records: the key's id, or
     * the token's issuer and subject (never the token).
     */
    String callerId();
}
