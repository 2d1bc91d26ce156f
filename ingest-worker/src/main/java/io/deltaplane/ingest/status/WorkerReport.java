package io.deltaplane.ingest.status;

import io.deltaplane.ingest.sink.SinkTotals.Counts;
import java.time.Instant;

/**
 * One worker's last word on a mapping, as the {@link StatusBoard} holds it.
 *
 * @param worker the worker's id (a pod's name), or {@link io.deltaplane.ingest.sink.SinkTotals#EARLIER_RELEASE}
 * @param status the worker's own view of the mapping; null for a writer known only from the warehouse's totals
 * @param written what the worker wrote in all, as its row in the warehouse's totals says (or more recent)
 * @param reportedAt when it last reported; null when it never did
 * @param live whether the report still holds (the worker reported within three intervals and has not left)
 */
public record WorkerReport(String worker, MappingStatus status, Counts written, Instant reportedAt, boolean live) {}
