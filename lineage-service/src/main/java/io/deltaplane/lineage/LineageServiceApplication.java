package io.deltaplane.lineage;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

@SpringBootApplication
@ConfigurationPropertiesScan
public class LineageServiceApplication {
    public static void main(String[] args) {
        SpringApplication.run(LineageServiceApplication.class, args);
    }
}
