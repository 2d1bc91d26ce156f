package io.deltaplane.lineage.event;

import com.fasterxml.jackson.annotation.JsonInclude;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import java.time.Instant;
import java.util.UUID;
import tools.jackson.databind.JsonNode;

/** Bodies of {@code POST /events/broadcast} and the events a run view lists. */
public final class EventRecords {
    private EventRecords() {}

    public record BroadcastEvent(
            @NotBlank @Pattern(regexp = "[A-Za-z0-9_.:/-]{1,128}")
            String eventType,

            JsonNode data,
            String jobName,
            UUID runId) {}

    public record EventCreated(UUID eventId) {}

    public record Event(
            UUID eventId,
            String eventType,
            JsonNode data,
            @JsonInclude(JsonInclude.Include.NON_NULL) String jobName,
            @JsonInclude(JsonInclude.Include.NON_NULL) UUID runId,
            Instant createdAt) {}
}
