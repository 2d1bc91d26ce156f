package io.deltaplane.testing;

import java.util.List;
import java.util.stream.Stream;

/**
 * How a JVM that a test suite starts runs (an app, a service, a broker), as the test JVMs themselves
 * do (the root pom's surefire {@code argLine}): C1 only and the serial collector. The suites pace
 * their own load and their JVMs live minutes, where C2's compilations and G1's concurrent threads
 * cost more CPU than they return on a 2-core machine: the fault suite's services used 14.2 ms of CPU
 * per operation with the full JIT and 8.9 with C1 (2026-11-28). Benchmarks keep the production JIT
 * ({@link ServiceProcess#DEFAULT_JVM_OPTIONS}).
 */
public final class SuiteJvm {

    /** C1 only, the serial collector. */
    public static final List<String> COMPILER_AND_COLLECTOR = List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC");

    /** With a small fixed heap: a service or a broker a suite starts. */
    public static final List<String> OPTIONS = Stream.concat(
                    Stream.of("-Xms256m", "-Xmx256m"), COMPILER_AND_COLLECTOR.stream())
            .toList();

    private SuiteJvm() {}
}
