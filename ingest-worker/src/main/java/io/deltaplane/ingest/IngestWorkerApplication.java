package io.deltaplane.ingest;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

@SpringBootApplication
@ConfigurationPropertiesScan
public class IngestWorkerApplication {
    public static void main(String[] args) {
        SpringApplication.run(IngestWorkerApplication.class, args);
    }
}
