package io.deltaplane.lineage.common;

import static java.util.Objects.requireNonNull;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.springframework.jdbc.support.SqlArrayValue;

/**
 * One set-based write — a multi-row {@code INSERT … SELECT FROM unnest(…)} or {@code UPDATE … FROM
 * unnest(…)} — with its named parameters, built by the repository that owns the table it writes
 * and run by {@link CombinedWrites} together with others in one round trip.
 */
public record SetWrite(String sql, Map<String, Object> params) {

    public SetWrite {
        requireNonNull(sql, "sql");
        params = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(params));
    }

    /** A Postgres array parameter of {@code values} (nulls allowed). */
    public static SqlArrayValue array(String type, Collection<?> values) {
        return new SqlArrayValue(type, values.toArray());
    }

    /** Run ids as a {@code text[]} parameter (the statement casts them to uuid). */
    public static SqlArrayValue uuids(Collection<UUID> values) {
        return new SqlArrayValue("text", values.stream().map(UUID::toString).toArray());
    }
}
