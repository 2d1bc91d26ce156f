package io.deltaplane.metadata.statements;

import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.EnumMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Counts the SQL statements of each commit request ({@link CommitDoor}), from before authentication
 * to the answer, audit record included, and records them in {@code deltaplane.commit.sql.statements}
 * ({@code door}, {@code outcome}: {@code success} for a 2xx answer, else {@code error}). With this
 * class's logger at DEBUG, each request's statements are logged one per line, with the class and
 * method that ran each.
 */
public final class CommitStatementsFilter extends OncePerRequestFilter {

    public static final String METRIC = "deltaplane.commit.sql.statements";

    private static final Logger log = LoggerFactory.getLogger(CommitStatementsFilter.class);

    private final Map<CommitDoor, DistributionSummary> succeeded = new EnumMap<>(CommitDoor.class);
    private final Map<CommitDoor, DistributionSummary> failed = new EnumMap<>(CommitDoor.class);

    public CommitStatementsFilter(MeterRegistry registry) {
        for (CommitDoor door : CommitDoor.values()) {
            succeeded.put(door, summary(registry, door, "success"));
            failed.put(door, summary(registry, door, "error"));
        }
    }

    private static DistributionSummary summary(MeterRegistry registry, CommitDoor door, String outcome) {
        return DistributionSummary.builder(METRIC)
                .description("SQL statements one commit request ran (COMMIT and ROLLBACK included), by door")
                .baseUnit("statements")
                .tag("door", door.tag())
                .tag("outcome", outcome)
                .register(registry);
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        CommitDoor door = CommitDoor.of(
                request.getMethod(),
                request.getRequestURI().substring(request.getContextPath().length()));
        if (door == null) {
            chain.doFilter(request, response);
            return;
        }
        StatementCount.Tally tally = StatementCount.open(log.isDebugEnabled());
        try {
            chain.doFilter(request, response);
        } finally {
            StatementCount.close();
            int status = response.getStatus();
            (status >= 200 && status < 300 ? succeeded : failed).get(door).record(tally.statements());
            if (log.isDebugEnabled()) {
                log.debug(
                        "{} {} ({} {}): {} SQL statements{}",
                        request.getMethod(),
                        request.getRequestURI(),
                        door.tag(),
                        status,
                        tally.statements(),
                        tally.recorded().stream().map(s -> "\n  " + s).reduce("", String::concat));
            }
        }
    }
}
