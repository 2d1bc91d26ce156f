package io.deltaplane.ingest.mapping.api;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;

@RestController
@RequestMapping("/api/v1/ingest/mappings")
public class MappingController {

    private final MappingService mappings;

    public MappingController(MappingService mappings) {
        this.mappings = requireNonNull(mappings, "mappings");
    }

    @PostMapping
    @ResponseStatus(HttpStatus.CREATED)
    public MappingResource create(@RequestBody JsonNode body) {
        return MappingResource.of(mappings.create(body));
    }

    @GetMapping
    public Map<String, List<MappingResource>> list() {
        return Map.of(
                "mappings", mappings.list().stream().map(MappingResource::of).toList());
    }

    @GetMapping("/{name}")
    public MappingResource get(@PathVariable String name) {
        return MappingResource.of(mappings.get(name));
    }

    @PutMapping("/{name}")
    public MappingResource replace(@PathVariable String name, @RequestBody JsonNode body) {
        return MappingResource.of(mappings.replace(name, body));
    }

    @DeleteMapping("/{name}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    public void delete(@PathVariable String name) {
        mappings.delete(name);
    }

    @PostMapping("/{name}/pause")
    public MappingResource pause(@PathVariable String name) {
        return MappingResource.of(mappings.setPaused(name, true));
    }

    @PostMapping("/{name}/resume")
    public MappingResource resume(@PathVariable String name) {
        return MappingResource.of(mappings.setPaused(name, false));
    }
}
