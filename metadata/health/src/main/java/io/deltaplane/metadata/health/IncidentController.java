package io.deltaplane.metadata.health;

import static java.util.Objects.requireNonNull;

import io.deltaplane.metadata.health.IncidentService.IncidentList;
import java.util.UUID;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /api/v1/incidents}: health incidents, newest first, of the tables the caller may read
 * (SELECT), over {@link IncidentService}.
 */
@RestController
public class IncidentController {

    private final IncidentService incidents;

    public IncidentController(IncidentService incidents) {
        this.incidents = requireNonNull(incidents, "incidents");
    }

    /** A page of incidents; {@code next_page_token} is null after the last. */
    @GetMapping("/api/v1/incidents")
    public IncidentList list(
            @RequestParam(required = false) String status,
            @RequestParam(name = "catalog_name", required = false) String catalog,
            @RequestParam(name = "max_results", required = false) Integer maxResults,
            @RequestParam(name = "page_token", required = false) String pageToken) {
        return incidents.list(status, catalog, maxResults, pageToken);
    }

    /** One incident (404 unless the caller may read its table). */
    @GetMapping("/api/v1/incidents/{id}")
    public Incident get(@PathVariable UUID id) {
        return incidents.get(id);
    }
}
