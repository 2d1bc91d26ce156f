package io.deltaplane.metadata.health;

import java.time.Instant;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The SQL the health pass runs, bare, for {@code HealthBenchmark}'s reference: {@link
 * HealthRepository#PASS_PAGE} (the pass's one read per page: every table's last data commit,
 * SLAs and profile entry for the hour) page by page as {@link HealthEvaluator#evaluate} pages it,
 * every column fetched, nothing judged and no incident touched. The text is the repository's own
 * constant, so the reference cannot drift from the pass.
 */
public final class PassSql {

    /** {@code HealthEvaluator}'s page size. */
    public static final int PAGE = 2_000;

    private PassSql() {}

    /** Reads every table's pass row at {@code now}, as the pass does; how many rows it read. */
    public static int readEveryPage(JdbcClient jdbc, Instant now) {
        int hour = FreshnessProfile.hourOfWeek(now) + 1;
        UUID after = new UUID(0, 0);
        int rows = 0;
        int read;
        do {
            UUID[] last = {after};
            read = jdbc.sql(HealthRepository.PASS_PAGE)
                    .param("after", after)
                    .param("limit", PAGE)
                    .param("hour", hour)
                    .query((rs, n) -> {
                        last[0] = rs.getObject(1, UUID.class);
                        for (int c = 2; c <= rs.getMetaData().getColumnCount(); c++) {
                            rs.getObject(c);
                        }
                        return last[0];
                    })
                    .list()
                    .size();
            after = last[0];
            rows += read;
        } while (read == PAGE);
        return rows;
    }
}
