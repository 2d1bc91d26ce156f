package io.deltaplane.lineage;

import static org.assertj.core.api.Assertions.assertThat;

import io.deltaplane.support.security.ApiKeyStore;
import io.deltaplane.support.security.Scope;
import io.deltaplane.testing.AuthorizationProbe;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

/** Every lineage-service endpoint × scope × path spelling answers what the scope allows. */
@LineageServiceTest
class EndpointAuthorizationTest {

    @LocalServerPort
    int port;

    @Autowired
    ApiKeyStore keys;

    @Autowired
    @Qualifier("requestMappingHandlerMapping")
    RequestMappingHandlerMapping mapping;

    @Test
    void everyEndpointAnswersWhatTheScopeAllowsHoweverThePathIsSpelled() throws Exception {
        List<AuthorizationProbe.Endpoint> endpoints = AuthorizationProbe.endpoints(mapping);
        assertThat(endpoints).extracting(AuthorizationProbe.Endpoint::pattern).contains("/api/v1/runs/{runId}");
        int[] requests = {0};
        List<String> violations = new AuthorizationProbe(
                        "http://localhost:" + port,
                        Map.of(
                                AuthorizationProbe.Scope.READ,
                                        keys.create("probe-read", Scope.READ).key(),
                                AuthorizationProbe.Scope.WRITE,
                                        keys.create("probe-write", Scope.WRITE).key(),
                                AuthorizationProbe.Scope.ADMIN, LineageServiceTest.ADMIN_KEY))
                .probe(endpoints, requests);
        assertThat(violations).as("%d requests", requests[0]).isEmpty();
    }
}
