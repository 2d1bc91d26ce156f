package io.deltaplane.metadata.storage;

import io.deltaplane.storage.Storages;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * The storage backends the metadata service reads and writes table locations with: the local file
 * system, S3 and Azure, configured by the SDKs' own variables ({@code AWS_*}, {@code AZURE_*}) read
 * through Spring's environment (so tests and config files can set them too). Object store clients
 * are built on first use of one of their locations.
 */
@Configuration(proxyBeanMethods = false)
class StorageConfiguration {

    @Bean
    Storages storages(Environment environment) {
        return Storages.fromVariables(environment::getProperty);
    }
}
