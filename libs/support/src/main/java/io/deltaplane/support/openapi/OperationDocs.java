package io.deltaplane.support.openapi;

import io.swagger.v3.core.util.Json;
import io.swagger.v3.core.util.Yaml;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.examples.Example;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.parameters.Parameter;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.springdoc.core.customizers.GlobalOpenApiCustomizer;
import org.springframework.core.io.ClassPathResource;
import org.springframework.core.io.Resource;

/**
 * Writes what each operation means into the service's OpenAPI document, from the service's
 * {@value #RESOURCE}: summary, description, parameter descriptions / examples / enums, a concrete
 * request example that Swagger UI's "Try it out" pre-fills (or named {@code examples}, offered in
 * order), and refinements of model schemas (a
 * typed body where the controller takes free JSON, enums for closed sets).
 *
 * <p>Kept beside the code rather than in annotations so one file reads as the API's manual, in the
 * order a newcomer tries it; the contract test fails when an operation is missing from it.
 */
public final class OperationDocs implements GlobalOpenApiCustomizer {

    public static final String RESOURCE = "openapi/operations.yml";

    private final Map<String, Object> docs;

    public OperationDocs(Resource resource) {
        this.docs = resource.exists() ? read(resource) : Map.of();
    }

    public static OperationDocs fromClasspath() {
        return new OperationDocs(new ClassPathResource(RESOURCE));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> read(Resource resource) {
        try (InputStream in = resource.getInputStream()) {
            Map<String, Object> map = Yaml.mapper().readValue(in, Map.class);
            return map == null ? Map.of() : map;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + RESOURCE, e);
        }
    }

    @Override
    public void customise(OpenAPI api) {
        addSchemas(api);
        refineProperties(api);
        if (api.getPaths() == null) {
            return;
        }
        Map<String, Object> operations = section("operations");
        api.getPaths()
                .forEach((path, item) -> item.readOperationsMap().forEach((method, operation) -> {
                    Object entry = operations.get(method.name() + " " + path);
                    if (entry instanceof Map<?, ?> doc) {
                        describe(api, operation, cast(doc));
                    }
                }));
    }

    private void describe(OpenAPI api, Operation operation, Map<String, Object> doc) {
        if (doc.get("summary") instanceof String summary) {
            operation.setSummary(summary.strip());
        }
        if (doc.get("description") instanceof String description) {
            operation.setDescription(description.strip());
        }
        Map<String, Object> parameters = map(doc.get("parameters"));
        if (operation.getParameters() != null) {
            for (Parameter parameter : operation.getParameters()) {
                Map<String, Object> p = map(parameters.get(parameter.getName()));
                if (p.get("description") instanceof String description) {
                    parameter.setDescription(description.strip());
                }
                if (p.containsKey("example")) {
                    parameter.setExample(p.get("example"));
                }
                if (p.get("enum") instanceof List<?> values && parameter.getSchema() != null) {
                    setEnum(parameter.getSchema(), values);
                }
            }
        }
        if (operation.getRequestBody() != null && operation.getRequestBody().getContent() != null) {
            Content content = operation.getRequestBody().getContent();
            if (doc.get("request-description") instanceof String description) {
                operation.getRequestBody().setDescription(description.strip());
            }
            for (MediaType media : content.values()) {
                if (doc.get("request-schema") instanceof String schema) {
                    media.setSchema(new Schema<>().$ref("#/components/schemas/" + schema));
                }
                if (doc.containsKey("example")) {
                    media.setExample(exampleValue(doc.get("example")));
                }
                // Named examples, in order: Swagger UI offers them in a list and pre-fills the first;
                // "Try it out" in the docs tests sends each, so one operation can make two things
                // (a group and the service principal that joins it).
                Map<String, Object> examples = map(doc.get("examples"));
                if (!examples.isEmpty()) {
                    Map<String, Example> named = new LinkedHashMap<>();
                    examples.forEach((name, value) ->
                            named.put(name, new Example().summary(name).value(exampleValue(value))));
                    media.setExamples(named);
                }
            }
        }
    }

    private static Object exampleValue(Object example) {
        return example instanceof String text ? text : Json.mapper().valueToTree(example);
    }

    /** Component schemas the document lacks (e.g. the Delta schema's StructType). */
    private void addSchemas(OpenAPI api) {
        Map<String, Object> schemas = section("schemas");
        if (schemas.isEmpty() || api.getComponents() == null) {
            return;
        }
        schemas.forEach((name, schema) -> api.getComponents().addSchemas(name, toSchema(schema)));
    }

    /**
     * {@code Model.property} entries: a {@code $ref} replaces the property's schema (a typed field
     * where the model holds free JSON); {@code enum}, {@code description} and {@code example} refine it.
     */
    @SuppressWarnings({"rawtypes", "unchecked"})
    private void refineProperties(OpenAPI api) {
        Map<String, Object> properties = section("properties");
        if (properties.isEmpty()
                || api.getComponents() == null
                || api.getComponents().getSchemas() == null) {
            return;
        }
        properties.forEach((qualified, refinement) -> {
            int dot = qualified.indexOf('.');
            Schema model = api.getComponents().getSchemas().get(qualified.substring(0, dot));
            if (model == null || model.getProperties() == null) {
                return;
            }
            String property = qualified.substring(dot + 1);
            Schema current = (Schema) model.getProperties().get(property);
            Map<String, Object> r = map(refinement);
            if (current == null) {
                return;
            }
            if (r.containsKey("$ref")) {
                Schema replaced = new Schema<>().$ref((String) r.get("$ref"));
                model.getProperties().put(property, replaced);
                return;
            }
            if (r.get("enum") instanceof List<?> values) {
                setEnum(current, values);
            }
            if (r.get("description") instanceof String description) {
                current.setDescription(description.strip());
            }
            if (r.containsKey("example")) {
                current.setExample(r.get("example"));
            }
        });
    }

    @SuppressWarnings({"rawtypes", "unchecked"})
    private static void setEnum(Schema schema, List<?> values) {
        Schema target = "array".equals(schema.getType()) && schema.getItems() != null ? schema.getItems() : schema;
        target.setEnum(values.stream().map(String::valueOf).toList());
    }

    private static Schema<?> toSchema(Object map) {
        return Json.mapper().convertValue(map, Schema.class);
    }

    private Map<String, Object> section(String name) {
        return map(docs.get(name));
    }

    private static Map<String, Object> map(Object value) {
        return value instanceof Map<?, ?> m ? cast(m) : Map.of();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> cast(Map<?, ?> map) {
        return (Map<String, Object>) new LinkedHashMap<>(map);
    }

    /** {@code "POST /api/v1/catalogs"}: how operations are keyed in the resource. */
    public static String key(PathItem.HttpMethod method, String path) {
        return method.name().toUpperCase(Locale.ROOT) + " " + path;
    }
}
