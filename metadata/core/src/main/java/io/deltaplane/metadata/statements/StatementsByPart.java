package io.deltaplane.metadata.statements;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * Every statement a {@link CountingDataSource} runs, whoever runs it, by the part of the service
 * that ran it: {@code requests} (the web server's threads), or a background loop by its name (its
 * threads' name, numbering dropped: {@code delta-log-publisher}, {@code iceberg-metadata}, …).
 * Where {@link StatementCount} counts one request's statements, this counts what commits cause
 * after their answer too (publishing, checkpoints, conversions, relays), so a benchmark can divide
 * every part by the commits of its window. Exported as {@code deltaplane.sql.statements{part}}.
 *
 * <p>Each thread finds its part once (a ThreadLocal), then counts with one {@link LongAdder}
 * increment per statement. In memory: a process that dies takes its counts with it, as every
 * counter does.
 */
public final class StatementsByPart {

    public static final String METRIC = "deltaplane.sql.statements";
    public static final String REQUESTS = "requests";

    private static final Pattern NUMBERING = Pattern.compile("(-\\d+)+$");

    private final ConcurrentMap<String, LongAdder> parts = new ConcurrentHashMap<>();
    private final ThreadLocal<LongAdder> own = ThreadLocal.withInitial(this::forThisThread);
    private volatile Consumer<String> onNewPart = part -> {};

    /** A statement ran on this thread. */
    void counted() {
        own.get().increment();
    }

    /** The statements counted so far, by part. */
    public Map<String, Long> counts() {
        Map<String, Long> counts = new TreeMap<>();
        parts.forEach((part, adder) -> counts.put(part, adder.sum()));
        return counts;
    }

    /** Exports every part, those seen so far and those seen later, to {@code registry}. */
    public synchronized void bindTo(MeterRegistry registry) {
        Consumer<String> register = part -> FunctionCounter.builder(METRIC, parts.get(part), LongAdder::sum)
                .description(
                        "SQL statements run (COMMIT and ROLLBACK included), by the part of the service that ran them")
                .baseUnit("statements")
                .tag("part", part)
                .register(registry);
        Consumer<String> before = onNewPart;
        onNewPart = before.andThen(register);
        parts.keySet().forEach(register);
    }

    /** The part a thread named {@code thread} belongs to. */
    static String partOf(String thread) {
        if (thread.startsWith("http-") || thread.startsWith("https-") || thread.startsWith("tomcat-handler")) {
            return REQUESTS;
        }
        String part = NUMBERING.matcher(thread).replaceFirst("");
        return part.isEmpty() ? "unnamed" : part;
    }

    private LongAdder forThisThread() {
        String part = partOf(Thread.currentThread().getName());
        LongAdder adder = parts.get(part);
        if (adder != null) {
            return adder;
        }
        synchronized (this) { // a new part is registered once, with every registry bound
            adder = parts.get(part);
            if (adder == null) {
                adder = new LongAdder();
                parts.put(part, adder);
                onNewPart.accept(part);
            }
            return adder;
        }
    }
}
