package io.deltaplane.support.security;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Slows down key guessing: a client address that failed authentication {@code limit} times within
 * {@code window} is refused (429) until the window ends, without its key even being checked.
 * Fixed windows per address, in a bounded map (the least recently seen addresses are forgotten
 * first), so a flood of spoofed sources costs memory no more than {@code maxAddresses} entries.
 */
public final class FailedAuthenticationLimiter {

    private record Window(Instant start, int failures) {}

    private final int limit;
    private final Duration window;
    private final Clock clock;
    private final Map<String, Window> windows;

    public FailedAuthenticationLimiter(int limit, Duration window, int maxAddresses, Clock clock) {
        this.limit = limit;
        this.window = window;
        this.clock = clock;
        this.windows = new LinkedHashMap<>(256, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Window> eldest) {
                return size() > maxAddresses;
            }
        };
    }

    /** How long {@code address} must wait, when it has used up its failures in this window. */
    public synchronized Optional<Duration> blocked(String address) {
        Window current = windows.get(address);
        if (current == null) {
            return Optional.empty();
        }
        Instant now = clock.instant();
        Instant end = current.start().plus(window);
        if (!now.isBefore(end)) {
            windows.remove(address);
            return Optional.empty();
        }
        return current.failures() >= limit ? Optional.of(Duration.between(now, end)) : Optional.empty();
    }

    public synchronized void failed(String address) {
        Instant now = clock.instant();
        Window current = windows.get(address);
        if (current == null || !now.isBefore(current.start().plus(window))) {
            windows.put(address, new Window(now, 1));
        } else {
            windows.put(address, new Window(current.start(), current.failures() + 1));
        }
    }
}
