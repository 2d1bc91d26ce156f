package io.deltaplane.metadata.health;

import static java.util.Objects.requireNonNull;

import io.deltaplane.support.access.AccessControl;
import io.deltaplane.support.access.Privilege;
import io.deltaplane.support.access.Securable;
import io.deltaplane.support.names.Names;
import io.deltaplane.support.paging.PageTokens;
import io.deltaplane.support.problem.ApiException;
import io.deltaplane.support.problem.ErrorCode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.springframework.stereotype.Service;

/**
 * Health incidents, newest first, of the tables the caller may read (SELECT): a team sees its own
 * tables' incidents and no one else's ({@link IncidentController}).
 */
@Service
public class IncidentService {

    /** Incidents examined for one page at most: a page of a reader who sees few of them may come back short. */
    static final int EXAMINED_PER_PAGE = 5_000;

    private static final int BATCH = 200;

    private final IncidentLog incidents;
    private final AccessControl access;

    IncidentService(IncidentLog incidents, AccessControl access) {
        this.incidents = requireNonNull(incidents, "incidents");
        this.access = requireNonNull(access, "access");
    }

    /** A page of incidents; {@code next_page_token} is null after the last. */
    public record IncidentList(List<Incident> incidents, String nextPageToken) {}

    public IncidentList list(String status, String catalog, Integer maxResults, String pageToken) {
        if (status != null && !status.equals("OPEN") && !status.equals("RESOLVED")) {
            throw ApiException.badRequest(ErrorCode.VALIDATION_FAILED, "status is OPEN or RESOLVED");
        }
        int limit = PageTokens.limit(maxResults);
        Instant beforeAt = null;
        UUID beforeId = null;
        String cursor = PageTokens.after(pageToken);
        if (cursor != null) {
            String[] parts = cursor.split("\\|", 2);
            beforeAt = Instant.parse(parts[0]);
            beforeId = UUID.fromString(parts[1]);
        }
        List<Incident> visible = new ArrayList<>();
        Incident examined = null;
        boolean exhausted = false;
        int count = 0;
        while (visible.size() < limit && count < EXAMINED_PER_PAGE) {
            List<Incident> batch = incidents.list(
                    status, catalog == null ? null : Names.part("catalog", catalog), beforeAt, beforeId, BATCH);
            for (Incident incident : batch) {
                examined = incident;
                count++;
                if (access.allows(Securable.table(incident.table()), Privilege.SELECT)) {
                    visible.add(incident);
                    if (visible.size() == limit) {
                        break;
                    }
                }
            }
            if (batch.size() < BATCH && (batch.isEmpty() || examined == batch.get(batch.size() - 1))) {
                exhausted = true; // the last rows there are, all examined
                break;
            }
            beforeAt = examined.openedAt();
            beforeId = examined.id();
        }
        String next =
                exhausted || examined == null ? null : PageTokens.encode(examined.openedAt() + "|" + examined.id());
        return new IncidentList(visible, next);
    }

    /** One incident (404 unless the caller may read its table). */
    public Incident get(UUID id) {
        Incident incident = incidents.get(id).orElseThrow(IncidentService::notFound);
        if (!access.allows(Securable.table(incident.table()), Privilege.SELECT)) {
            throw notFound(); // as if it did not exist: another team's incident says nothing
        }
        return incident;
    }

    private static ApiException notFound() {
        return ApiException.notFound(ErrorCode.NOT_FOUND, "No such incident.");
    }
}
