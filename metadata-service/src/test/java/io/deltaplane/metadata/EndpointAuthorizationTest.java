package io.deltaplane.metadata;

import static org.assertj.core.api.Assertions.assertThat;

import io.deltaplane.support.security.ApiKeyStore;
import io.deltaplane.support.security.Scope;
import io.deltaplane.testing.AuthorizationProbe;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

/**
 * Every endpoint metadata-service routes × every scope × every spelling of its path answers what the
 * scope allows (see {@link AuthorizationProbe}); endpoints come from the handler mappings, so a new
 * one is covered without editing this test. Plus the one decision made on a bound value: purging.
 */
class EndpointAuthorizationTest extends MetadataTestBase {

    @Autowired
    ApiKeyStore keys;

    @Autowired
    @Qualifier("requestMappingHandlerMapping")
    RequestMappingHandlerMapping mapping;

    @Test
    void everyEndpointAnswersWhatTheScopeAllowsHoweverThePathIsSpelled() throws Exception {
        List<AuthorizationProbe.Endpoint> endpoints = AuthorizationProbe.endpoints(mapping);
        assertThat(endpoints).extracting(AuthorizationProbe.Endpoint::pattern).contains("/api/v1/tables/{fullName}");
        int[] requests = {0};
        List<String> violations = new AuthorizationProbe(
                        "http://localhost:" + port,
                        Map.of(
                                AuthorizationProbe.Scope.READ,
                                        keys.create("probe-read", Scope.READ).key(),
                                AuthorizationProbe.Scope.WRITE,
                                        keys.create("probe-write", Scope.WRITE).key(),
                                AuthorizationProbe.Scope.ADMIN, ADMIN_KEY))
                .probe(endpoints, requests);
        assertThat(violations).as("%d requests", requests[0]).isEmpty();
    }

    @Test
    void onlyAdminPurgesDecidedOnTheBoundValue() throws Exception {
        String table = newTable();
        Path location = Path.of(java.net.URI.create(
                JSON.readTree(http.get("/api/v1/tables/" + table).body())
                        .get("location")
                        .asString()));
        var writer = http.withKey(keys.create("purge-writer", Scope.WRITE).key());
        for (String spelling : new String[] {"1", "yes", "on", "TRUE", "true%20", "%20true"}) {
            assertThat(writer.delete("/api/v1/tables/" + table + "?purge=" + spelling)
                            .statusCode())
                    .as("purge=" + spelling)
                    .isEqualTo(400);
        }
        assertThat(writer.delete("/api/v1/tables/" + table + "?purge=true").statusCode())
                .isEqualTo(403);
        assertThat(http.get("/api/v1/tables/" + table).statusCode()).isEqualTo(200);
        assertThat(Files.exists(location)).isTrue();
        assertThat(http.delete("/api/v1/tables/" + table + "?purge=true").statusCode())
                .isEqualTo(204);
    }
}
