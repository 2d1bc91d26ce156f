package io.deltaplane.lineage.event;

import static java.util.Objects.requireNonNull;

import io.deltaplane.lineage.common.Times;
import io.deltaplane.lineage.event.EventRecords.BroadcastEvent;
import io.deltaplane.lineage.event.EventRecords.EventCreated;
import io.deltaplane.lineage.job.JobRepository;
import io.deltaplane.lineage.runref.RunLookup;
import io.deltaplane.support.names.Names;
import io.deltaplane.support.problem.ApiException;
import io.deltaplane.support.problem.ErrorCode;
import java.time.Clock;
import java.util.UUID;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Custom events: broadcast, or tied to a job or a run (metrics, progress, anything a pipeline says). */
@Service
public class EventService {

    private final EventRepository events;
    private final JobRepository jobs;
    private final Clock clock;

    public EventService(EventRepository events, JobRepository jobs, Clock clock) {
        this.events = requireNonNull(events, "events");
        this.jobs = requireNonNull(jobs, "jobs");
        this.clock = requireNonNull(clock, "clock");
    }

    @Transactional
    public EventCreated broadcast(BroadcastEvent request) {
        if (request.jobName() != null) {
            Names.dotted("job", request.jobName());
        }
        UUID id = UUID.randomUUID();
        if (request.runId() != null) {
            if (!events.insertForRun(
                    id, request.eventType(), request.data(), request.runId(), request.jobName(), Times.now(clock))) {
                throw RunLookup.notFound(request.runId(), request.jobName());
            }
            return new EventCreated(id);
        }
        Long jobId = null;
        if (request.jobName() != null) {
            jobId = jobs.findId(request.jobName())
                    .orElseThrow(() ->
                            ApiException.notFound(ErrorCode.JOB_NOT_FOUND, "No job '" + request.jobName() + "'."));
        }
        events.insert(id, request.eventType(), request.data(), jobId, null, Times.now(clock));
        return new EventCreated(id);
    }
}
