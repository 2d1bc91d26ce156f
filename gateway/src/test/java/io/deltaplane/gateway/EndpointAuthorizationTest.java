package io.deltaplane.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.deltaplane.support.security.ApiKeyStore;
import io.deltaplane.support.security.Scope;
import io.deltaplane.testing.AuthorizationProbe;
import io.deltaplane.testing.OpenApiContract;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

/**
 * Every endpoint the gateway serves — its own admin API (from its handler mappings) and every
 * operation of the three committed contracts it routes — × every scope × every spelling of the path
 * answers what the scope allows (see {@link AuthorizationProbe}). The services behind are recording
 * stand-ins that accept anything, so whatever reaches them got past the gateway's own checks.
 */
class EndpointAuthorizationTest extends GatewayTestBase {

    @Autowired
    ApiKeyStore keys;

    @Autowired
    @Qualifier("requestMappingHandlerMapping")
    RequestMappingHandlerMapping mapping;

    @Test
    void everyRoutedEndpointAnswersWhatTheScopeAllowsHoweverThePathIsSpelled() throws Exception {
        List<AuthorizationProbe.Endpoint> endpoints = new ArrayList<>(AuthorizationProbe.endpoints(mapping));
        assertThat(endpoints).extracting(AuthorizationProbe.Endpoint::pattern).contains("/api/v1/admin/api-keys");
        for (String service : List.of("metadata", "lineage", "ingest")) {
            endpoints.addAll(AuthorizationProbe.endpoints(
                    JSON.readTree(OpenApiContract.committedFile(service).toFile())));
        }
        int[] requests = {0};
        List<String> violations = new AuthorizationProbe(
                        "http://localhost:" + port,
                        Map.of(
                                AuthorizationProbe.Scope.READ,
                                        keys.create("gw-probe-read", Scope.READ).key(),
                                AuthorizationProbe.Scope.WRITE,
                                        keys.create("gw-probe-write", Scope.WRITE)
                                                .key(),
                                AuthorizationProbe.Scope.ADMIN, ADMIN_KEY))
                .probe(endpoints, requests);
        assertThat(violations).as("%d requests", requests[0]).isEmpty();
    }
}
