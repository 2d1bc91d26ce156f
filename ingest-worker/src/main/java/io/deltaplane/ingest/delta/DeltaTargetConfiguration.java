package io.deltaplane.ingest.delta;

import io.deltaplane.ingest.config.ServicesProperties;
import io.deltaplane.storage.Storages;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import tools.jackson.databind.json.JsonMapper;

/** The metadata client, table setup and storage that Delta-target mappings use. */
@Configuration(proxyBeanMethods = false)
public class DeltaTargetConfiguration {

    @Bean
    MetadataClient metadataClient(ServicesProperties services, JsonMapper json) {
        return new MetadataClient(services.metadataUrl(), services.apiKey(), services.requestTimeout(), json);
    }

    @Bean
    DeltaTables deltaTables(MetadataClient metadata) {
        return new DeltaTables(metadata);
    }

    /**
     * Table locations the worker writes data files to: the platform's storage layer, local
     * directories, S3 and Azure configured by the same SDK variables as metadata-service.
     */
    @Bean
    Storages deltaTargetStorages(Environment environment) {
        return Storages.fromVariables(environment::getProperty);
    }
}
