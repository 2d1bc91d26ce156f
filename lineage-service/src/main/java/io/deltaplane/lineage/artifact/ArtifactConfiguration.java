package io.deltaplane.lineage.artifact;

import io.deltaplane.storage.Storages;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.env.Environment;
import org.springframework.web.servlet.HandlerExceptionResolver;

@Configuration(proxyBeanMethods = false)
class ArtifactConfiguration {

    // After the request id, body limit and API-key filters of the support library.
    static final int PATH_GUARD_ORDER = Ordered.HIGHEST_PRECEDENCE + 30;

    /** The artifacts' home: an object store prefix when {@code DELTAPLANE_ARTIFACTS_URI} is set, else the local directory. */
    @Bean
    ArtifactStorage artifactStorage(ArtifactProperties properties, Environment environment) {
        if (properties.onObjectStore()) {
            return new ObjectStoreArtifactStorage(
                    Storages.fromVariables(environment::getProperty),
                    properties.uri().strip());
        }
        return new LocalArtifactStorage(properties);
    }

    @Bean
    FilterRegistrationBean<PathTraversalFilter> pathTraversalFilter(
            @Qualifier("handlerExceptionResolver") HandlerExceptionResolver problemRenderer) {
        FilterRegistrationBean<PathTraversalFilter> registration =
                new FilterRegistrationBean<>(new PathTraversalFilter(problemRenderer));
        registration.setOrder(PATH_GUARD_ORDER);
        return registration;
    }
}
