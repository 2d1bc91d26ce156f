package io.deltaplane.testing;

import static java.util.Objects.requireNonNull;

import java.util.concurrent.Callable;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * One expensive fixture (a platform of apps started as jars, a Spark session) shared by every test
 * class of a run: a parameter of type {@code T} resolves to the one instance, started by the first
 * class that asks and closed (it is {@link AutoCloseable}) when the last has run, because the root
 * context's store lives that long and closes what it holds.
 */
public abstract class SharedPerRun<T extends AutoCloseable> implements ParameterResolver {

    private final Class<T> type;
    private final Callable<T> start;
    private final String what;

    /**
     * @param start starts the fixture; its failure fails every test that asks, saying {@code what}
     *     did not start
     */
    protected SharedPerRun(Class<T> type, Callable<T> start, String what) {
        this.type = requireNonNull(type, "type");
        this.start = requireNonNull(start, "start");
        this.what = requireNonNull(what, "what");
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == type;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return context.getRoot()
                .getStore(ExtensionContext.Namespace.create(type))
                .computeIfAbsent(type, key -> startOrFail(), type);
    }

    private T startOrFail() {
        try {
            return start.call();
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(what + " did not start", e);
        }
    }
}
