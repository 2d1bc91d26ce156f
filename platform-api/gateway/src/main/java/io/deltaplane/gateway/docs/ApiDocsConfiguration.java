package io.deltaplane.gateway.docs;

import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import io.swagger.v3.oas.models.servers.Server;
import java.util.List;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The gateway's own OpenAPI document (the admin API). Swagger UI at {@code /swagger-ui.html} lists
 * it next to the three services' documents, which the gateway proxies at
 * {@code /v3/api-docs/{service}}; requests tried out there go through the gateway with the API key
 * entered under "Authorize".
 */
@Configuration(proxyBeanMethods = false)
public class ApiDocsConfiguration {

    public static final String BEARER_SCHEME = "bearerAuth";
    public static final String HEADER_SCHEME = "apiKeyHeader";

    @Bean
    public OpenAPI gatewayOpenApi() {
        return new OpenAPI()
                .info(new Info()
                        .title("Deltaplane gateway")
                        .version("v1")
                        .description("Administration of API keys. Every other /api/v1 path is routed to a"
                                + " service; see the metadata, lineage and ingest documents."))
                .servers(List.of(new Server().url("/").description("this gateway")))
                .components(new Components()
                        .addSecuritySchemes(
                                BEARER_SCHEME,
                                new SecurityScheme()
                                        .type(SecurityScheme.Type.HTTP)
                                        .scheme("bearer")
                                        .description("An API key: Authorization: Bearer <key>"))
                        .addSecuritySchemes(
                                HEADER_SCHEME,
                                new SecurityScheme()
                                        .type(SecurityScheme.Type.APIKEY)
                                        .in(SecurityScheme.In.HEADER)
                                        .name("X-API-Key")
                                        .description("The same API key in the X-API-Key header")))
                .security(List.of(
                        new SecurityRequirement().addList(BEARER_SCHEME),
                        new SecurityRequirement().addList(HEADER_SCHEME)));
    }
}
