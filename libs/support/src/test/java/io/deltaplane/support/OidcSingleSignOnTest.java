package io.deltaplane.support;

import static org.assertj.core.api.Assertions.assertThat;

import io.deltaplane.support.access.GrantStore;
import io.deltaplane.support.access.Principal;
import io.deltaplane.support.access.PrincipalStore;
import io.deltaplane.support.access.PrincipalType;
import io.deltaplane.support.access.Privilege;
import io.deltaplane.support.access.Securable;
import io.deltaplane.support.audit.AuditEvent;
import io.deltaplane.support.audit.AuditLog;
import io.deltaplane.support.audit.AuditQuery;
import io.deltaplane.testing.MovableClock;
import io.deltaplane.testing.OidcProvider;
import io.deltaplane.testing.TestHttp;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Single sign-on against a real OpenID Connect provider (discovery, JWKS, signed tokens): a token
 * acts for its principal with that principal's grants, and with the grants of the groups here that
 * its groups claim names; every other token is a 401 that changes nothing. A service checks the
 * token itself (the grants endpoints here are a service's).
 */
class OidcSingleSignOnTest {

    // The bootstrap admin key is one row of the shared platform schema: every context of this JVM
    // registers the same key, or a context started later revokes the key of one still cached.
    static final String ADMIN_KEY = ConventionsTest.ADMIN_KEY;

    /** The provider the platform trusts, and one it does not. */
    static final OidcProvider TRUSTED = OidcProvider.start();

    static final OidcProvider STRANGER = OidcProvider.start();

    /** A provider that issued a token and then went away (its discovery and keys cannot be fetched). */
    static final OidcProvider GONE = OidcProvider.start();

    static final String GONE_TOKEN = GONE.token("sub-gone", Map.of("email", "gone@example.com"));

    static {
        GONE.close();
    }

    @AfterAll
    static void stopProviders() {
        TRUSTED.close();
        STRANGER.close();
    }

    static String unique(String prefix) {
        return prefix + "_" + UUID.randomUUID().toString().substring(0, 8);
    }

    static String email(String user) {
        return user + "@example.com";
    }

    /** The platform's clock, which a test may move forward (and must put back). */
    static final MovableClock CLOCK = MovableClock.flowing();

    @TestConfiguration
    static class MovableClockConfiguration {
        @Bean
        Clock clock() {
            return CLOCK;
        }
    }

    @Nested
    @Import(MovableClockConfiguration.class)
    @SpringBootTest(
            classes = ConventionsTestApplication.class,
            webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
            properties = {
                "deltaplane.db.schema=oidc",
                "deltaplane.security.admin-api-key=" + ADMIN_KEY,
                "deltaplane.security.failed-authentications.limit=1000",
                "deltaplane.security.oidc.audience=" + OidcProvider.AUDIENCE
            })
    class Trusted {

        @DynamicPropertySource
        static void issuers(DynamicPropertyRegistry registry) {
            registry.add("deltaplane.security.oidc.issuers", TRUSTED::issuer);
        }

        @LocalServerPort
        int port;

        @Autowired
        PrincipalStore principals;

        @Autowired
        GrantStore grants;

        @Autowired
        AuditLog audit;

        TestHttp as(String token) {
            return TestHttp.local(port, token);
        }

        @Test
        void aTokenReadsWhatItsPrincipalWasGrantedAndIsRefusedElsewhere() {
            String user = email(unique("alice"));
            String granted = unique("sales");
            principals.create(user, PrincipalType.USER);
            grants.grant(Securable.catalog(granted), user, Privilege.USE_CATALOG);
            String token = TRUSTED.token("sub-" + user, Map.of("email", user));

            HttpResponse<String> read = as(token).get("/api/v1/shelves/" + granted);
            assertThat(read.statusCode()).as(read.body()).isEqualTo(200);
            assertThat(read.body()).contains("\"caller\":\"" + user + "\"");
            // another catalog, a privilege it was not granted, an admin-only decision: 403
            assertProblem(as(token).get("/api/v1/shelves/" + unique("hr")), 403, "FORBIDDEN");
            assertProblem(as(token).post("/api/v1/shelves/" + granted, "{}"), 403, "FORBIDDEN");
            assertProblem(as(token).delete("/api/v1/paints?purge=true"), 403, "FORBIDDEN");
            // reading and writing as such (no grant involved) is what any caller may do
            assertThat(as(token).post("/api/v1/paints", "{\"name\":\"n\"}").statusCode())
                    .isEqualTo(201);
        }

        @Test
        void aTokenStopsWorkingWhenItExpires() {
            String user = email(unique("expiring"));
            String token = TRUSTED.token("sub-" + user, List.of(OidcProvider.AUDIENCE), Map.of("email", user), 600);
            assertThat(as(token).get("/api/v1/paints").statusCode()).isEqualTo(200);
            try {
                // ten minutes' lifetime and the minute of clock skew later
                CLOCK.advance(Duration.ofMinutes(11).plusSeconds(1));
                JsonProblem problem = assertProblem(as(token).get("/api/v1/paints"), 401, "UNAUTHENTICATED");
                assertThat(problem.detail()).contains("expired");
            } finally {
                CLOCK.reset();
            }
            assertThat(as(token).get("/api/v1/paints").statusCode()).isEqualTo(200);
        }

        @Test
        void theAuditTrailRecordsTheIssuerAndSubject() {
            String user = email(unique("auditee"));
            String subject = "sub-" + UUID.randomUUID();
            Instant before = Instant.now().minusSeconds(1);
            String catalog = unique("audited");

            assertThat(as(TRUSTED.token(subject, Map.of("email", user)))
                            .post("/api/v1/shelves/" + catalog, "{}")
                            .statusCode())
                    .isEqualTo(403);

            List<AuditEvent> events = audit.list(new AuditQuery(user, null, null, before, null), Long.MAX_VALUE, 10);
            assertThat(events).hasSize(1);
            assertThat(events.get(0).authentication()).isEqualTo("oidc:" + TRUSTED.issuer() + "|" + subject);
            assertThat(events.get(0).securableName()).isEqualTo(catalog);
            assertThat(events.get(0).outcome()).isEqualTo("denied");
        }

        @Test
        void aPrincipalIsCreatedOnFirstSightWithNoGrants() {
            String user = email(unique("newcomer"));
            assertThat(principals.find(user)).isEmpty();

            String token = TRUSTED.token("sub-" + user, Map.of("email", user));
            assertThat(as(token).get("/api/v1/paints").statusCode()).isEqualTo(200);
            assertThat(principals.find(user)).map(Principal::type).hasValue(PrincipalType.USER);
            assertThat(principals.groupsOf(user)).isEmpty();
            assertProblem(as(token).get("/api/v1/shelves/" + unique("any")), 403, "FORBIDDEN");
        }

        @Test
        void withoutThePrincipalClaimATokenActsForItsSubject() {
            String subject = unique("svc");
            HttpResponse<String> response = as(TRUSTED.token(subject, Map.of())).get("/api/v1/shelves/x");
            assertProblem(response, 403, "FORBIDDEN");
            assertThat(response.body()).contains("Principal '" + subject + "'");
            assertThat(principals.find(subject)).isPresent();
        }

        @Test
        void theTokensGroupsGrantWhatGroupsOfThoseNamesHoldHere() {
            String user = email(unique("bob"));
            String analysts = unique("analysts");
            String data = unique("data");
            String colleague = email(unique("colleague"));
            String shared = unique("shared");
            String nested = unique("nested");
            principals.create(analysts, PrincipalType.GROUP);
            principals.create(data, PrincipalType.GROUP);
            principals.addMember(data, analysts); // analysts are in data
            principals.create(colleague, PrincipalType.USER);
            grants.grant(Securable.catalog(shared), analysts, Privilege.USE_CATALOG);
            grants.grant(Securable.catalog(nested), data, Privilege.USE_CATALOG);
            grants.grant(Securable.catalog(shared), colleague, Privilege.CREATE_SCHEMA);

            String member = TRUSTED.token(
                    "sub-" + user, Map.of("email", user, "groups", List.of(analysts, "not-a-group-here", colleague)));
            assertThat(as(member).get("/api/v1/shelves/" + shared).statusCode()).isEqualTo(200);
            // through the group the token's group is in
            assertThat(as(member).get("/api/v1/shelves/" + nested).statusCode()).isEqualTo(200);
            // a name that is a user here is no group: its grants are not the caller's
            assertProblem(as(member).post("/api/v1/shelves/" + shared, "{}"), 403, "FORBIDDEN");
            // the groups are the token's, for its requests only: no membership was recorded
            assertThat(principals.groupsOf(user)).isEmpty();
            String without = TRUSTED.token("sub-" + user, Map.of("email", user));
            assertProblem(as(without).get("/api/v1/shelves/" + shared), 403, "FORBIDDEN");
        }

        @Test
        void aMetastoreAdminsTokenHasTheAdminScope() {
            String user = email(unique("root"));
            principals.create(user, PrincipalType.USER);
            principals.addMember(PrincipalStore.METASTORE_ADMINS, user);
            String token = TRUSTED.token("sub-" + user, Map.of("email", user));
            assertThat(as(token).delete("/api/v1/paints?purge=true").statusCode())
                    .isEqualTo(204);
            assertThat(as(token).get("/api/v1/shelves/" + unique("anything")).statusCode())
                    .isEqualTo(200);
        }

        @Test
        void aTokenNamingABuiltInGroupGainsNothingFromIt() {
            String user = email(unique("climber"));
            String token = TRUSTED.token(
                    "sub-" + user,
                    Map.of(
                            "email",
                            user,
                            "groups",
                            List.of(PrincipalStore.METASTORE_ADMINS, PrincipalStore.LEGACY_WRITERS)));
            assertThat(as(token).delete("/api/v1/paints?purge=true").statusCode())
                    .as("not an admin by its own say-so")
                    .isEqualTo(403);
            assertProblem(as(token).get("/api/v1/shelves/" + unique("anything")), 403, "FORBIDDEN");
        }

        record Refusal(String user, String token, String reason) {}

        @Test
        void tokensThatAreNotValidHereAre401AndChangeNothing() {
            List<Refusal> refusals = new java.util.ArrayList<>();
            String otherAudience = email(unique("audience"));
            refusals.add(new Refusal(
                    otherAudience,
                    TRUSTED.token("sub-" + otherAudience, List.of("another-app"), Map.of("email", otherAudience), 3600),
                    "aud"));
            String stranger = email(unique("stranger"));
            refusals.add(new Refusal(
                    stranger, STRANGER.token("sub-" + stranger, Map.of("email", stranger)), "issuer is not one"));
            String tampered = email(unique("tampered"));
            refusals.add(new Refusal(
                    tampered,
                    OidcProvider.tampered(
                            TRUSTED.token("sub-" + tampered, Map.of("email", email(unique("someone")))),
                            "email",
                            tampered),
                    "signature"));
            String unsigned = email(unique("unsigned"));
            refusals.add(new Refusal(
                    unsigned,
                    OidcProvider.unsigned(TRUSTED.token("sub-" + unsigned, Map.of("email", unsigned))),
                    "not signed"));
            String hmac = email(unique("hmac"));
            refusals.add(new Refusal(
                    hmac,
                    OidcProvider.hmacSigned(
                            TRUSTED.token("sub-" + hmac, Map.of("email", hmac)),
                            "a-secret-of-the-callers-choosing-32b".getBytes(StandardCharsets.UTF_8)),
                    "signature"));

            Instant before = Instant.now().minusSeconds(1);
            for (Refusal refusal : refusals) {
                HttpResponse<String> response =
                        as(refusal.token()).post("/api/v1/paints", "{\"name\":\"" + refusal.user() + "\"}");
                JsonProblem problem = assertProblem(response, 401, "UNAUTHENTICATED");
                assertThat(response.headers().firstValue("WWW-Authenticate")).hasValue("Bearer");
                assertThat(problem.detail()).as(refusal.user()).contains(refusal.reason());
                assertThat(response.body()).doesNotContain(refusal.token());
                assertThat(principals.find(refusal.user())).as(refusal.user()).isEmpty();
            }
            List<AuditEvent> denied =
                    audit.list(new AuditQuery(null, null, null, before, null), Long.MAX_VALUE, 100).stream()
                            .filter(e -> e.path().equals("/api/v1/paints") && e.status() == 401)
                            .toList();
            assertThat(denied).hasSizeGreaterThanOrEqualTo(refusals.size());
            assertThat(denied).allSatisfy(e -> assertThat(e.authentication()).isEqualTo("none"));
        }

        @Test
        void apiKeysWorkAsBefore() {
            assertThat(TestHttp.local(port, ADMIN_KEY).get("/api/v1/paints").statusCode())
                    .isEqualTo(200);
            assertProblem(
                    TestHttp.local(port, "dp_unknown-" + UUID.randomUUID()).get("/api/v1/paints"),
                    401,
                    "UNAUTHENTICATED");
        }
    }

    /** Principals made by an admin only; failed tokens counted like failed keys. */
    @Nested
    @SpringBootTest(
            classes = ConventionsTestApplication.class,
            webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
            properties = {
                "deltaplane.db.schema=oidc_closed",
                "deltaplane.security.admin-api-key=" + ADMIN_KEY,
                "deltaplane.security.oidc.create-principals=false",
                "deltaplane.security.failed-authentications.limit=3",
                "deltaplane.security.failed-authentications.window=1h",
                "deltaplane.security.trusted-proxies=127.0.0.1,::1"
            })
    class ClosedToNewcomers {

        @DynamicPropertySource
        static void issuers(DynamicPropertyRegistry registry) {
            // two issuers: the token picks its own
            registry.add(
                    "deltaplane.security.oidc.issuers",
                    () -> STRANGER.issuer() + "," + TRUSTED.issuer() + "," + GONE.issuer());
        }

        @LocalServerPort
        int port;

        @Autowired
        PrincipalStore principals;

        @Test
        void anUnknownPrincipalIsRefusedAndAKnownOneWorks() {
            String address = "203.0.113.10";
            String unknown = email(unique("unknown"));
            HttpResponse<String> refused = TestHttp.local(port, TRUSTED.token("s", Map.of("email", unknown)))
                    .get("/api/v1/paints", "X-Forwarded-For", address);
            assertProblem(refused, 401, "UNAUTHENTICATED");
            assertThat(principals.find(unknown)).isEmpty();

            String known = email(unique("known"));
            principals.create(known, PrincipalType.USER);
            assertThat(TestHttp.local(port, TRUSTED.token("s", Map.of("email", known)))
                            .get("/api/v1/paints", "X-Forwarded-For", address)
                            .statusCode())
                    .isEqualTo(200);
        }

        @Test
        void anUnreachableProviderIs503AndNotCountedAsAFailure() {
            for (int i = 0; i < 4; i++) {
                HttpResponse<String> response =
                        TestHttp.local(port, GONE_TOKEN).get("/api/v1/paints", "X-Forwarded-For", "203.0.113.50");
                assertProblem(response, 503, "SERVICE_UNAVAILABLE");
                assertThat(response.headers().firstValue("Retry-After")).hasValue("5");
            }
            assertThat(principals.find("gone@example.com")).isEmpty();
        }

        @Test
        void aTokenThatKeepsFailingIsThrottled() {
            String known = email(unique("throttled"));
            principals.create(known, PrincipalType.USER);
            String forged = OidcProvider.hmacSigned(
                    TRUSTED.token("s", Map.of("email", known)),
                    "a-secret-of-the-callers-choosing-32b".getBytes(StandardCharsets.UTF_8));
            for (int i = 0; i < 3; i++) {
                assertThat(TestHttp.local(port, forged)
                                .get("/api/v1/paints", "X-Forwarded-For", "198.51.100." + (20 + i))
                                .statusCode())
                        .isEqualTo(401);
            }
            HttpResponse<String> locked =
                    TestHttp.local(port, forged).get("/api/v1/paints", "X-Forwarded-For", "198.51.100.99");
            assertProblem(locked, 429, "RATE_LIMITED");
            // a valid token of the same principal, from the same address, still works
            assertThat(TestHttp.local(port, TRUSTED.token("s", Map.of("email", known)))
                            .get("/api/v1/paints", "X-Forwarded-For", "198.51.100.99")
                            .statusCode())
                    .isEqualTo(200);
        }
    }

    /** No issuers (the default): a JWT is just a key nobody has. */
    @Nested
    @SpringBootTest(
            classes = ConventionsTestApplication.class,
            webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
            properties = {"deltaplane.db.schema=oidc_off", "deltaplane.security.admin-api-key=" + ADMIN_KEY})
    class Off {

        @LocalServerPort
        int port;

        @Autowired
        PrincipalStore principals;

        @Test
        void aValidTokenIsAnUnknownApiKey() {
            String user = email(unique("nobody"));
            HttpResponse<String> response = TestHttp.local(port, TRUSTED.token("sub", Map.of("email", user)))
                    .get("/api/v1/paints");
            JsonProblem problem = assertProblem(response, 401, "UNAUTHENTICATED");
            assertThat(problem.detail()).isEqualTo("The API key is unknown or revoked.");
            assertThat(principals.find(user)).isEmpty();
        }
    }

    record JsonProblem(String detail) {}

    static JsonProblem assertProblem(HttpResponse<String> response, int status, String errorCode) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type"))
                .hasValueSatisfying(type -> assertThat(type).startsWith("application/problem+json"));
        var body = tools.jackson.databind.json.JsonMapper.builder().build().readTree(response.body());
        assertThat(body.path("error_code").asString()).isEqualTo(errorCode);
        assertThat(body.path("request_id").asString()).isNotBlank();
        return new JsonProblem(body.path("detail").asString());
    }
}
