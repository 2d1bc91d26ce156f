package io.deltaplane.support;

import io.deltaplane.support.access.AccessControl;
import io.deltaplane.support.access.GrantStore;
import io.deltaplane.support.access.PrincipalStore;
import io.deltaplane.support.audit.AuditChainer;
import io.deltaplane.support.audit.AuditFilter;
import io.deltaplane.support.audit.AuditLog;
import io.deltaplane.support.audit.AuditProperties;
import io.deltaplane.support.http.ApiOffFilter;
import io.deltaplane.support.http.BodySizeLimitFilter;
import io.deltaplane.support.http.HttpProperties;
import io.deltaplane.support.http.NulCharacterFilter;
import io.deltaplane.support.http.ProblemExceptionHandler;
import io.deltaplane.support.http.StrictParameters;
import io.deltaplane.support.http.TomcatErrorPages;
import io.deltaplane.support.idempotency.IdempotencyFilter;
import io.deltaplane.support.idempotency.IdempotencyKeyFormat;
import io.deltaplane.support.idempotency.IdempotencyLeases;
import io.deltaplane.support.idempotency.IdempotencyProperties;
import io.deltaplane.support.idempotency.IdempotencyStore;
import io.deltaplane.support.idempotency.LandedAnswers;
import io.deltaplane.support.json.StrictJson;
import io.deltaplane.support.loop.ProcessRole;
import io.deltaplane.support.problem.ProblemErrorController;
import io.deltaplane.support.request.RequestIdFilter;
import io.deltaplane.support.request.RequestIdForwarding;
import io.deltaplane.support.security.AdminKeyBootstrap;
import io.deltaplane.support.security.ApiKeyRequests;
import io.deltaplane.support.security.ApiKeyStore;
import io.deltaplane.support.security.ClientAddresses;
import io.deltaplane.support.security.OidcProperties;
import io.deltaplane.support.security.SecurityProperties;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import javax.sql.DataSource;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.restclient.RestClientCustomizer;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.boot.webmvc.autoconfigure.error.ErrorMvcAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.core.Ordered;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.web.servlet.HandlerExceptionResolver;

/**
 * The conventions every Deltaplane service gets by depending on this library: request ids,
 * problem+json errors, body limits, API-key security and idempotency keys, in that filter order.
 */
@AutoConfiguration(before = ErrorMvcAutoConfiguration.class)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@EnableConfigurationProperties({
    SecurityProperties.class,
    OidcProperties.class,
    HttpProperties.class,
    IdempotencyProperties.class,
    AuditProperties.class,
    ProcessRole.class
})
@Import({ProblemExceptionHandler.class, ProblemErrorController.class})
public class WebConventionsConfiguration {

    static final int REQUEST_ID_ORDER = Ordered.HIGHEST_PRECEDENCE;
    static final int BODY_LIMIT_ORDER = Ordered.HIGHEST_PRECEDENCE + 10;
    /** Spring Security's filter chain runs here ({@code spring.security.filter.order} in deltaplane-defaults). */
    static final int AUTHENTICATION_ORDER = Ordered.HIGHEST_PRECEDENCE + 20;

    /** After authentication: bodies of anonymous requests are not parsed. */
    static final int JSON_CHECK_ORDER = Ordered.HIGHEST_PRECEDENCE + 25;

    static final int IDEMPOTENCY_ORDER = Ordered.HIGHEST_PRECEDENCE + 30;
    // After authentication (a stranger learns nothing but 401), before anything reads the body.
    static final int IDEMPOTENCY_KEY_ORDER = Ordered.HIGHEST_PRECEDENCE + 24;

    /** Around authentication, so that its refusals are audited too. */
    static final int AUDIT_ORDER = Ordered.HIGHEST_PRECEDENCE + 15;

    @Bean
    public FilterRegistrationBean<io.deltaplane.support.http.UnityCatalogErrors> unityCatalogErrors() {
        FilterRegistrationBean<io.deltaplane.support.http.UnityCatalogErrors> registration =
                new FilterRegistrationBean<>(new io.deltaplane.support.http.UnityCatalogErrors());
        registration.setOrder(io.deltaplane.support.http.UnityCatalogErrors.ORDER);
        // the error page too: refusals made before any filter are rendered there
        registration.setDispatcherTypes(jakarta.servlet.DispatcherType.REQUEST, jakarta.servlet.DispatcherType.ERROR);
        return registration;
    }

    @Bean
    public FilterRegistrationBean<RequestIdFilter> requestIdFilter() {
        FilterRegistrationBean<RequestIdFilter> registration = new FilterRegistrationBean<>(new RequestIdFilter());
        registration.setOrder(REQUEST_ID_ORDER);
        registration.setDispatcherTypes(
                jakarta.servlet.DispatcherType.REQUEST,
                jakarta.servlet.DispatcherType.ASYNC,
                jakarta.servlet.DispatcherType.ERROR);
        return registration;
    }

    @Bean
    public FilterRegistrationBean<BodySizeLimitFilter> bodySizeLimitFilter(
            HttpProperties properties,
            @Qualifier("handlerExceptionResolver") HandlerExceptionResolver problemRenderer) {
        FilterRegistrationBean<BodySizeLimitFilter> registration =
                new FilterRegistrationBean<>(new BodySizeLimitFilter(properties, problemRenderer));
        registration.setOrder(BODY_LIMIT_ORDER);
        return registration;
    }

    @Bean
    public PrincipalStore principalStore(DataSource dataSource, Clock clock) {
        return new PrincipalStore(JdbcClient.create(dataSource), clock);
    }

    @Bean
    public GrantStore grantStore(DataSource dataSource) {
        return new GrantStore(JdbcClient.create(dataSource));
    }

    @Bean
    public AccessControl accessControl(PrincipalStore principals, GrantStore grants, Clock clock) {
        return new AccessControl(ApiKeyRequests.CURRENT_PRINCIPAL, principals, grants, clock);
    }

    @Bean
    public ApiKeyStore apiKeyStore(DataSource dataSource, PrincipalStore principals, Clock clock) {
        return new ApiKeyStore(JdbcClient.create(dataSource), principals, clock);
    }

    @Bean
    public AuditLog auditLog(DataSource dataSource, PlatformTransactionManager transactions) {
        return new AuditLog(JdbcClient.create(dataSource), new TransactionTemplate(transactions));
    }

    @Bean
    @ConditionalOnProperty(name = "deltaplane.audit.enabled", havingValue = "true", matchIfMissing = true)
    public FilterRegistrationBean<AuditFilter> auditFilter(
            AuditLog audit,
            ClientAddresses addresses,
            AuditProperties properties,
            Clock clock,
            @Value("${spring.application.name:deltaplane}") String service) {
        FilterRegistrationBean<AuditFilter> registration = new FilterRegistrationBean<>(
                new AuditFilter(audit, addresses, service, properties.credentialPaths(), clock));
        registration.setOrder(AUDIT_ORDER);
        return registration;
    }

    @Bean
    public AuditChainer auditChainer(
            AuditLog audit,
            AuditProperties properties,
            ProcessRole role,
            Clock clock,
            ObjectProvider<MeterRegistry> registry) {
        return new AuditChainer(audit, properties, role, clock, registry.getIfAvailable());
    }

    @Bean
    public AdminKeyBootstrap adminKeyBootstrap(ApiKeyStore store, SecurityProperties properties) {
        return new AdminKeyBootstrap(store, properties);
    }

    /** Checked in every app, the gateway too, where the stored idempotency itself is off. */
    @Bean
    public FilterRegistrationBean<IdempotencyKeyFormat> idempotencyKeyFormat(
            @Qualifier("handlerExceptionResolver") HandlerExceptionResolver problemRenderer) {
        FilterRegistrationBean<IdempotencyKeyFormat> registration =
                new FilterRegistrationBean<>(new IdempotencyKeyFormat(problemRenderer));
        registration.setOrder(IDEMPOTENCY_KEY_ORDER);
        return registration;
    }

    @Bean
    @ConditionalOnProperty(name = "deltaplane.idempotency.enabled", havingValue = "true", matchIfMissing = true)
    public IdempotencyStore idempotencyStore(DataSource dataSource, Clock clock, IdempotencyProperties properties) {
        return new IdempotencyStore(JdbcClient.create(dataSource), clock, properties.retention(), properties.lease());
    }

    /** Renews the leases of the keys this process's requests hold (a loop, started with the context). */
    @Bean
    @ConditionalOnProperty(name = "deltaplane.idempotency.enabled", havingValue = "true", matchIfMissing = true)
    public IdempotencyLeases idempotencyLeases(IdempotencyStore store) {
        return new IdempotencyLeases(store);
    }

    @Bean
    @ConditionalOnProperty(name = "deltaplane.idempotency.enabled", havingValue = "true", matchIfMissing = true)
    public FilterRegistrationBean<IdempotencyFilter> idempotencyFilter(
            IdempotencyStore store,
            IdempotencyLeases leases,
            ObjectProvider<LandedAnswers> landedAnswers,
            @Qualifier("handlerExceptionResolver") HandlerExceptionResolver problemRenderer) {
        FilterRegistrationBean<IdempotencyFilter> registration = new FilterRegistrationBean<>(new IdempotencyFilter(
                store, leases, landedAnswers.getIfAvailable(() -> LandedAnswers.NONE), problemRenderer));
        registration.setOrder(IDEMPOTENCY_ORDER);
        return registration;
    }

    @Bean
    @ConditionalOnClass(name = "org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory")
    public TomcatErrorPages tomcatErrorPages() {
        return new TomcatErrorPages();
    }

    @Bean
    public StrictJson strictJson() {
        return new StrictJson();
    }

    /** Registered only in a process without the API: every request but the actuator's is a 404. */
    @Bean
    @ConditionalOnProperty(name = "deltaplane.process.api", havingValue = "false")
    public FilterRegistrationBean<ApiOffFilter> apiOffFilter(
            @Qualifier("handlerExceptionResolver") HandlerExceptionResolver problemRenderer) {
        FilterRegistrationBean<ApiOffFilter> registration =
                new FilterRegistrationBean<>(new ApiOffFilter(problemRenderer));
        registration.setOrder(REQUEST_ID_ORDER + 1);
        return registration;
    }

    @Bean
    public FilterRegistrationBean<NulCharacterFilter> nulCharacterFilter(
            @Qualifier("handlerExceptionResolver") HandlerExceptionResolver problemRenderer) {
        FilterRegistrationBean<NulCharacterFilter> registration =
                new FilterRegistrationBean<>(new NulCharacterFilter(problemRenderer));
        registration.setOrder(JSON_CHECK_ORDER);
        return registration;
    }

    @Bean
    public StrictParameters strictParameters() {
        return new StrictParameters();
    }

    @Bean
    public RestClientCustomizer requestIdForwarding() {
        return builder -> builder.requestInterceptor(new RequestIdForwarding());
    }
}
