package io.deltaplane.support.openapi;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import io.swagger.v3.core.jackson.ModelResolver;
import io.swagger.v3.core.util.Json;
import io.swagger.v3.oas.models.media.ArraySchema;
import io.swagger.v3.oas.models.media.ObjectSchema;
import io.swagger.v3.oas.models.media.Schema;
import org.springdoc.core.utils.SpringDocUtils;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;

/**
 * Applies {@link OpenApiConventions} in every service that puts Springdoc on its classpath (the
 * support library itself only has it as an optional dependency).
 */
@AutoConfiguration
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnClass(name = "org.springdoc.core.customizers.GlobalOpenApiCustomizer")
public class OpenApiConventionsConfiguration {

    static {
        // Jackson 3 trees (free-form JSON: Delta schemas, metadata, event data) are any JSON value,
        // not the getters swagger-core would otherwise describe.
        SpringDocUtils.getConfig()
                .replaceWithSchema(tools.jackson.databind.JsonNode.class, new Schema<>().description("Any JSON value"))
                .replaceWithSchema(
                        tools.jackson.databind.node.ObjectNode.class, new ObjectSchema().description("A JSON object"))
                .replaceWithSchema(
                        tools.jackson.databind.node.ArrayNode.class,
                        new ArraySchema().items(new Schema<>()).description("A JSON array"));
    }

    @Bean
    public OpenApiConventions deltaplaneOpenApiConventions(Environment environment) {
        return new OpenApiConventions(environment.getProperty("spring.application.name"));
    }

    /** Summaries, descriptions and examples from the service's {@code openapi/operations.yml}. */
    @Bean
    public OperationDocs deltaplaneOperationDocs() {
        return OperationDocs.fromClasspath();
    }

    /**
     * Springdoc describes models with swagger-core's own (Jackson 2) mapper, which does not see the
     * platform's Jackson 3 settings: teach it the snake_case field names the API really uses.
     */
    @Bean
    @ConditionalOnProperty(name = "spring.jackson.property-naming-strategy", havingValue = "SNAKE_CASE")
    public ModelResolver snakeCaseModelResolver() {
        return new ModelResolver(Json.mapper().copy().setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE));
    }
}
