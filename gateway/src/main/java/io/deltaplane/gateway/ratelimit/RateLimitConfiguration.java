package io.deltaplane.gateway.ratelimit;

import io.github.resilience4j.ratelimiter.RateLimiterRegistry;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.web.servlet.HandlerExceptionResolver;

@Configuration(proxyBeanMethods = false)
public class RateLimitConfiguration {

    /** Right after the support library's authentication filter (HIGHEST_PRECEDENCE + 20). */
    static final int ORDER = Ordered.HIGHEST_PRECEDENCE + 30;

    @Bean
    @ConditionalOnProperty(name = "deltaplane.gateway.rate-limit.enabled", matchIfMissing = true)
    public FilterRegistrationBean<RateLimitFilter> rateLimitFilter(
            RateLimiterRegistry registry,
            RateLimitProperties properties,
            @Qualifier("handlerExceptionResolver") HandlerExceptionResolver problemRenderer) {
        FilterRegistrationBean<RateLimitFilter> registration =
                new FilterRegistrationBean<>(new RateLimitFilter(registry, properties, problemRenderer));
        registration.setOrder(ORDER);
        return registration;
    }
}
