package io.deltaplane.gateway.resilience;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.retry.RetryRegistry;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.web.servlet.function.HandlerFilterFunction;
import org.springframework.web.servlet.function.ServerRequest;
import org.springframework.web.servlet.function.ServerResponse;

/**
 * A request that reaches the gateway before the application is ready (Tomcat accepts connections
 * before the context's refresh event, before Spring Cloud Gateway's proxy has read its header
 * filters) is a 503 with {@code Retry-After}, never handed to the proxy; once ready, it is proxied.
 */
class StartingGatewayTest {

    @Test
    void aRequestBeforeTheGatewayIsReadyIsA503ThenItIsProxied() throws Exception {
        BackendResilience resilience = new BackendResilience(
                CircuitBreakerRegistry.ofDefaults(),
                RetryRegistry.ofDefaults(),
                new ResilienceProperties(50, 20, 10, Duration.ofSeconds(10), 3, Duration.ofMillis(100)));
        HandlerFilterFunction<ServerResponse, ServerResponse> filter = resilience.forBackend("metadata");
        ServerRequest request =
                ServerRequest.create(new MockHttpServletRequest("POST", "/api/v1/transactions"), List.of());
        AtomicInteger proxied = new AtomicInteger();

        ServerResponse starting = filter.filter(request, r -> {
            proxied.incrementAndGet();
            return ServerResponse.ok().build();
        });
        assertThat(starting.statusCode().value()).isEqualTo(503);
        assertThat(starting.headers().getFirst(HttpHeaders.RETRY_AFTER)).isEqualTo("1");
        assertThat(proxied).as("not handed to the proxy").hasValue(0);

        resilience.ready();
        ServerResponse served = filter.filter(request, r -> {
            proxied.incrementAndGet();
            return ServerResponse.ok().build();
        });
        assertThat(served.statusCode().value()).isEqualTo(200);
        assertThat(proxied).hasValue(1);
    }
}
