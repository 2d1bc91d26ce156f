package io.deltaplane.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The console's files are served without a key, cached by kind and sent with security headers;
 * everything else, the console's own API included, still needs a key of the right scope.
 */
class ConsoleServingTest extends GatewayTestBase {

    @Test
    void rootAndConsoleLeadToThePage() {
        for (String path : new String[] {"/", "/console"}) {
            HttpResponse<String> redirect = admin.withKey(null).get(path);
            assertThat(redirect.statusCode()).as(path).isEqualTo(302);
            assertThat(redirect.headers().firstValue("Location"))
                    .hasValueSatisfying(l -> assertThat(l).endsWith("/console/"));
        }
    }

    @Test
    void pageIsOpenRevalidatedAndLockedDown() {
        HttpResponse<String> page = admin.withKey(null).get("/console/");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Type"))
                .hasValueSatisfying(t -> assertThat(t).startsWith("text/html"));
        assertThat(page.body()).contains("<div id=\"root\">");
        assertThat(page.headers().firstValue("Cache-Control")).hasValue("no-cache");
        String csp = page.headers().firstValue("Content-Security-Policy").orElseThrow();
        assertThat(csp).contains("script-src 'self'", "frame-ancestors 'none'", "object-src 'none'");
        assertThat(csp.substring(csp.indexOf("script-src"), csp.indexOf(';', csp.indexOf("script-src"))))
                .doesNotContain("unsafe-inline")
                .doesNotContain("unsafe-eval");
        assertThat(page.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
        // No inline script in the page itself: every script is a file from /console/assets.
        assertThat(page.body()).doesNotContainPattern("<script(?![^>]*\\bsrc=)[^>]*>");
    }

    @Test
    void signInOptionsAreOpenAndSayKeysOnlyWithoutSingleSignOn() {
        HttpResponse<String> options = admin.withKey(null).get("/console/sign-in.json");
        assertThat(options.statusCode()).isEqualTo(200);
        assertThat(options.body()).isEqualTo("{\"oidc\":null}");
        String csp = admin.withKey(null)
                .get("/console/")
                .headers()
                .firstValue("Content-Security-Policy")
                .orElseThrow();
        assertThat(csp).contains("connect-src 'self';");
    }

    @Test
    void hashedAssetsAreImmutable() {
        String page = admin.withKey(null).get("/console/").body();
        Matcher script =
                Pattern.compile("src=\"(/console/assets/[^\"]+\\.js)\"").matcher(page);
        assertThat(script.find()).as(page).isTrue();
        HttpResponse<String> asset = admin.withKey(null).get(script.group(1));
        assertThat(asset.statusCode()).isEqualTo(200);
        assertThat(asset.headers().firstValue("Content-Type"))
                .hasValueSatisfying(t -> assertThat(t).contains("javascript"));
        assertThat(asset.headers().firstValue("Cache-Control"))
                .hasValueSatisfying(c -> assertThat(c).contains("max-age=31536000", "immutable"));
        assertThat(asset.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
        assertThat(admin.withKey(null).get("/console/assets/missing-0000.js").statusCode())
                .isEqualTo(404);
    }

    @Test
    void openingTheConsoleOpensNothingElse() {
        assertProblem(admin.withKey(null).get("/api/v1/console/session"), 401, "UNAUTHENTICATED");
        assertProblem(admin.withKey(null).get("/api/v1/console/overview"), 401, "UNAUTHENTICATED");
        assertProblem(admin.withKey(null).get("/api/v1/tables/main.sales.orders"), 401, "UNAUTHENTICATED");
        assertThat(admin.withKey(null).get("/console/../api/v1/admin/api-keys").statusCode())
                .isBetween(400, 499);
        assertThat(admin.withKey(null).get("/actuator/prometheus").statusCode()).isEqualTo(401);
        assertThat(admin.withKey(null).get("/console/anything-else").statusCode())
                .isIn(401, 404);
        assertThat(METADATA.received()).isEmpty();
    }

    @Test
    void sessionShowsTheKeysScopeButNeverTheSecret() {
        String readKey = json(admin.post("/api/v1/admin/api-keys", "{\"name\":\"console-read\",\"scope\":\"read\"}"))
                .path("key")
                .asString();
        HttpResponse<String> session = admin.withKey(readKey).get("/api/v1/console/session");
        assertThat(session.statusCode()).isEqualTo(200);
        assertThat(json(session).path("scope").asString()).isEqualTo("read");
        assertThat(json(session).path("name").asString()).isEqualTo("console-read");
        assertThat(session.body()).doesNotContain(readKey);
        // A read key still cannot change anything through the gateway.
        assertProblem(
                admin.withKey(readKey).post("/api/v1/admin/api-keys", "{\"name\":\"x\",\"scope\":\"admin\"}"),
                403,
                "FORBIDDEN");
        assertProblem(admin.withKey(readKey).post("/api/v1/ingest/mappings/m/pause", ""), 403, "FORBIDDEN");
    }
}
