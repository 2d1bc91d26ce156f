package io.deltaplane.support.security;

import io.deltaplane.support.access.AccessControl;
import io.deltaplane.support.access.PrincipalStore;
import io.deltaplane.support.problem.DatabaseOutage;
import jakarta.servlet.DispatcherType;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import org.slf4j.MDC;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.http.HttpMethod;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.authentication.AuthenticationServiceException;
import org.springframework.security.authentication.ProviderManager;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.config.observation.SecurityObservationSettings;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.AuthenticationFilter;
import org.springframework.security.web.authentication.www.BasicAuthenticationFilter;
import org.springframework.security.web.firewall.HttpFirewall;
import org.springframework.web.servlet.HandlerExceptionResolver;

/**
 * API-key security for every Deltaplane app, with Spring Security: the key is authenticated by
 * {@link ApiKeyAuthenticationProvider} — or, while single sign-on is on, a bearer JWT by {@link
 * OidcAuthenticationProvider}, with the same authorities — and what it may do is decided by request matchers on the
 * same parsed path Spring MVC routes on ({@code PathPatternRequestMatcher}) — so a route and the
 * scope it needs cannot disagree, however the path is spelled. Paths that could be read two ways
 * never get that far: {@link DeltaplaneHttpFirewall} refuses them first.
 *
 * <ul>
 *   <li>{@code /api/v1/admin/**}: admin
 *   <li>GET, HEAD, OPTIONS: read
 *   <li>everything else: write
 *   <li>{@link SecurityProperties#openPaths()} (health, API documents, the console's files): no key
 *   <li>{@link ClientCredentialsGrant#ICEBERG_TOKENS}: the key in the body, checked by the grant
 * </ul>
 *
 * Decisions that depend on a parameter's value (purging a table's files) are made in the handler
 * on the bound value, with {@link ApiKeyRequests#require}.
 */
@AutoConfiguration(
        beforeName = {
            "org.springframework.boot.security.autoconfigure.web.servlet.ServletWebSecurityAutoConfiguration",
            "org.springframework.boot.security.autoconfigure.actuate.web.servlet.ManagementWebSecurityAutoConfiguration"
        })
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
public class ApiKeySecurityConfiguration {

    @Bean
    public ApiKeyAuthenticationProvider apiKeyAuthenticationProvider(ApiKeyStore store, AccessControl access) {
        return new ApiKeyAuthenticationProvider(store, access);
    }

    @Bean
    public OidcTokens oidcTokens(OidcProperties properties, Clock clock) {
        return new OidcTokens(properties, clock);
    }

    @Bean
    public OidcAuthenticationProvider oidcAuthenticationProvider(
            OidcTokens tokens, PrincipalStore principals, AccessControl access) {
        return new OidcAuthenticationProvider(tokens, principals, access);
    }

    @Bean
    public SecurityProblems securityProblems(
            @Qualifier("handlerExceptionResolver") HandlerExceptionResolver problemRenderer) {
        return new SecurityProblems(problemRenderer);
    }

    /**
     * No observation around each security filter, authentication and authorization of every request
     * (turned off by property, an observation still wraps every filter and asks whether it is
     * enabled, on every request: a visible share of a commit's CPU in MetadataBenchmark's profile).
     * {@code http.server.requests} stays.
     */
    @Bean
    public SecurityObservationSettings securityObservationSettings() {
        return SecurityObservationSettings.noObservations();
    }

    @Bean
    public HttpFirewall deltaplaneHttpFirewall() {
        return new DeltaplaneHttpFirewall();
    }

    @Bean
    public ClientAddresses clientAddresses(SecurityProperties properties) {
        return new ClientAddresses(properties.trustedProxies());
    }

    @Bean
    public AuthenticationThrottle authenticationThrottle(
            SecurityProperties properties, ClientAddresses addresses, Clock clock) {
        SecurityProperties.FailedAuthentications limits = properties.failedAuthentications();
        return new AuthenticationThrottle(
                new FailedAuthenticationLimiter(limits.limit(), limits.window(), limits.maxAddresses(), clock),
                new FailedAuthenticationLimiter(limits.limit(), limits.window(), limits.maxAddresses(), clock),
                addresses);
    }

    /** Iceberg clients' client-credentials flow for a key (served by the door that routes it). */
    @Bean
    public ClientCredentialsGrant clientCredentialsGrant(ApiKeyStore keys, AuthenticationThrottle failures) {
        return new ClientCredentialsGrant(keys, failures);
    }

    /**
     * A key or principal that cannot be looked up because Postgres is down is a 503 (the
     * failure handler's {@link AuthenticationServiceException}), not a 500 and not a failed
     * authentication counted against the caller.
     */
    private static AuthenticationProvider outageAware(AuthenticationProvider provider) {
        return new AuthenticationProvider() {
            @Override
            public Authentication authenticate(Authentication authentication) {
                try {
                    return provider.authenticate(authentication);
                } catch (RuntimeException e) {
                    if (e instanceof AuthenticationException || !DatabaseOutage.causedBy(e)) {
                        throw e;
                    }
                    throw new AuthenticationServiceException(
                            "The platform's database is unavailable (restarting or out of reach); retry shortly.", e);
                }
            }

            @Override
            public boolean supports(Class<?> authentication) {
                return provider.supports(authentication);
            }
        };
    }

    @Bean
    public SecurityFilterChain apiKeySecurity(
            HttpSecurity http,
            SecurityProperties properties,
            ApiKeyAuthenticationProvider provider,
            OidcTokens tokens,
            OidcAuthenticationProvider oidc,
            SecurityProblems problems,
            AuthenticationThrottle failures)
            throws Exception {
        AuthenticationFilter authentication = new AuthenticationFilter(
                new ProviderManager(outageAware(provider), outageAware(oidc)), new ApiKeyRequests(tokens::accepts));
        authentication.setSuccessHandler((request, response, result) -> {
            // Continue the chain (the default would redirect, as for a login form).
            Credential credential = (Credential) result.getPrincipal();
            request.setAttribute(ApiKeyRequests.CREDENTIAL_ATTRIBUTE, credential);
            if (credential instanceof ApiKey key) {
                request.setAttribute(ApiKeyRequests.API_KEY_ATTRIBUTE, key);
                MDC.put(AuthenticationLockoutFilter.MDC_KEY, key.id());
            }
        });
        authentication.setFailureHandler((request, response, failure) -> {
            if (failure instanceof AuthenticationServiceException) {
                // The identity provider is unreachable: the caller did nothing wrong, nothing is counted.
                problems.providerUnavailable(request, response, failure);
                return;
            }
            Optional<Duration> wait = failures.failed(request);
            if (wait.isPresent()) {
                problems.tooManyFailures(request, response, wait.get());
            } else {
                problems.commence(request, response, failure);
            }
        });
        String[] open = properties.openPaths().toArray(String[]::new);
        http.csrf(csrf -> csrf.disable())
                .httpBasic(basic -> basic.disable())
                .formLogin(form -> form.disable())
                .logout(logout -> logout.disable())
                .requestCache(cache -> cache.disable())
                .sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .addFilterBefore(new AuthenticationLockoutFilter(failures, problems), BasicAuthenticationFilter.class)
                .addFilterAt(authentication, BasicAuthenticationFilter.class)
                .authorizeHttpRequests(requests -> requests
                        // The original request was authorized; its error page and async completion are not new
                        // requests.
                        .dispatcherTypeMatchers(DispatcherType.ERROR, DispatcherType.ASYNC)
                        .permitAll()
                        .requestMatchers(open)
                        .permitAll()
                        // the key is in the body: the grant authenticates (and throttles) it
                        .requestMatchers(HttpMethod.POST, ClientCredentialsGrant.ICEBERG_TOKENS)
                        .permitAll()
                        .requestMatchers("/api/v1/admin", "/api/v1/admin/**")
                        .hasAuthority(ApiKeyAuthentication.authority(Scope.ADMIN))
                        .requestMatchers(HttpMethod.GET, "/**")
                        .hasAuthority(ApiKeyAuthentication.authority(Scope.READ))
                        .requestMatchers(HttpMethod.HEAD, "/**")
                        .hasAuthority(ApiKeyAuthentication.authority(Scope.READ))
                        .requestMatchers(HttpMethod.OPTIONS, "/**")
                        .hasAuthority(ApiKeyAuthentication.authority(Scope.READ))
                        .anyRequest()
                        .hasAuthority(ApiKeyAuthentication.authority(Scope.WRITE)))
                .exceptionHandling(
                        errors -> errors.authenticationEntryPoint(problems).accessDeniedHandler(problems));
        return http.build();
    }
}
