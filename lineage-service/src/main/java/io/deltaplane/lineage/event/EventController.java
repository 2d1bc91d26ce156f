package io.deltaplane.lineage.event;

import static java.util.Objects.requireNonNull;

import io.deltaplane.lineage.event.EventRecords.BroadcastEvent;
import io.deltaplane.lineage.event.EventRecords.EventCreated;
import jakarta.validation.Valid;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/** Custom events; {@code Idempotency-Key} is handled by the support library's filter. */
@RestController
@RequestMapping("/api/v1/events")
public class EventController {

    private final EventService events;

    public EventController(EventService events) {
        this.events = requireNonNull(events, "events");
    }

    @PostMapping("/broadcast")
    @ResponseStatus(HttpStatus.CREATED)
    public EventCreated broadcast(@Valid @RequestBody BroadcastEvent request) {
        return events.broadcast(request);
    }
}
