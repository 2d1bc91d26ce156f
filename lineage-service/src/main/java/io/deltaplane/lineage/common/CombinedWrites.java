package io.deltaplane.lineage.common;

import static java.util.Objects.requireNonNull;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;
import org.springframework.jdbc.core.RowCallbackHandler;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Set-based writes of several tables sent as one statement: each {@link SetWrite} becomes a
 * data-modifying CTE of a single statement (Postgres runs every one of them, to completion, whether
 * the outer query reads it or not), so a batch's writes cost one round trip to the database, not
 * one per table written. Runs in the caller's transaction; used once.
 */
public final class CombinedWrites {

    private static final Pattern PARAMETER = Pattern.compile("(?<![:\\w]):([a-z_]+)");

    private final JdbcClient jdbc;
    private final StringBuilder sql = new StringBuilder();
    private final Map<String, Object> params = new LinkedHashMap<>();
    private int parts;
    private boolean done;

    public CombinedWrites(JdbcClient jdbc) {
        this.jdbc = requireNonNull(jdbc, "jdbc");
    }

    /** Adds a write; answers the name its RETURNING rows have in the combined statement. */
    public String add(SetWrite write) {
        String name = "w" + parts++;
        sql.append(sql.isEmpty() ? "WITH " : ", ")
                .append(name)
                .append(" AS (")
                .append(PARAMETER.matcher(write.sql()).replaceAll(":" + name + "_$1"))
                .append(')');
        write.params().forEach((k, v) -> params.put(name + "_" + k, v));
        return name;
    }

    /** Runs the writes added (nothing when none were). */
    public void run() {
        run("SELECT 1", rs -> {});
    }

    /** Runs the writes added, reading {@code select} (e.g. of a write's RETURNING rows) with {@code rows}. */
    public void run(String select, RowCallbackHandler rows) {
        if (done || parts == 0) {
            return;
        }
        done = true;
        jdbc.sql(sql + " " + select).params(params).query(rows);
    }
}
