package io.deltaplane.gateway.docs;

import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The gateway's own OpenAPI document (the admin API). Swagger UI at {@code /swagger-ui.html} lists
 * it next to the three services' documents, which the gateway proxies at
 * {@code /v3/api-docs/{service}}; requests tried out there go through the gateway with the API key
 * entered under "Authorize". The key schemes, the relative server and the problem+json responses
 * come from the support library's {@code OpenApiConventions}, as in every service's document.
 */
@Configuration(proxyBeanMethods = false)
public class ApiDocsConfiguration {

    @Bean
    public OpenAPI gatewayOpenApi() {
        return new OpenAPI()
                .info(new Info()
                        .title("Deltaplane gateway")
                        .version("v1")
                        .description("Administration of API keys (admin scope). Every other /api/v1 path is"
                                + " routed to a service; see the metadata, lineage and ingest documents."));
    }
}
