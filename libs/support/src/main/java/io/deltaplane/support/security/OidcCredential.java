package io.deltaplane.support.security;

import static java.util.Objects.requireNonNull;

import java.util.Set;

/**
 * A verified single sign-on access token, as much of it as the platform keeps: who issued it, its
 * subject, the principal it acts for and the groups it names (its groups claim). Never the token.
 *
 * @param groups the token's groups: those that are groups in Deltaplane count for grants (and the
 *     groups those are in), for this request only ({@link io.deltaplane.support.access.AccessControl})
 */
public record OidcCredential(String issuer, String subject, String principal, Set<String> groups)
        implements Credential {

    public OidcCredential {
        requireNonNull(issuer, "issuer");
        requireNonNull(subject, "subject");
        requireNonNull(principal, "principal");
        groups = Set.copyOf(groups);
    }

    @Override
    public String authentication() {
        return "oidc:" + issuer + "|" + subject;
    }

    @Override
    public String callerId() {
        return authentication();
    }
}
