package io.deltaplane.metadata.storage;

import io.deltaplane.storage.LocalFileStorage;
import io.deltaplane.storage.Storage;
import io.deltaplane.storage.Storages;
import java.util.List;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The storage backends the metadata service reads and writes table locations with. */
@Configuration(proxyBeanMethods = false)
class StorageConfiguration {

    @Bean
    LocalFileStorage localFileStorage() {
        return new LocalFileStorage();
    }

    @Bean
    Storages storages(List<Storage> storages) {
        return new Storages(storages);
    }
}
