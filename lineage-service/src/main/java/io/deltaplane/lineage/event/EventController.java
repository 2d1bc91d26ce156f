package io.deltaplane.lineage.event;

import static java.util.Objects.requireNonNull;

import io.deltaplane.lineage.event.EventRecords.BroadcastEvent;
import io.deltaplane.lineage.idempotency.Idempotency;
import jakarta.validation.Valid;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/v1/events")
public class EventController {

    private final EventService events;
    private final Idempotency idempotency;

    public EventController(EventService events, Idempotency idempotency) {
        this.events = requireNonNull(events, "events");
        this.idempotency = requireNonNull(idempotency, "idempotency");
    }

    @PostMapping("/broadcast")
    public ResponseEntity<Object> broadcast(
            @Valid @RequestBody BroadcastEvent request,
            @RequestHeader(name = Idempotency.HEADER, required = false) String key) {
        return idempotency.once(
                key,
                "POST /events/broadcast",
                request,
                () -> ResponseEntity.status(HttpStatus.CREATED).body(events.broadcast(request)));
    }
}
