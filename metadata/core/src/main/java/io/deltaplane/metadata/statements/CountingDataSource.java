package io.deltaplane.metadata.statements;

import java.io.Closeable;
import java.io.IOException;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.CallableStatement;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;
import org.springframework.jdbc.datasource.DelegatingDataSource;

/**
 * The application's {@code DataSource} with every statement counted ({@link StatementCount}): each
 * {@code execute*} of a statement (a batch is one), and each COMMIT, ROLLBACK and savepoint of a
 * connection, into the tally open on the thread, if any, and into its part ({@link StatementsByPart}). Connections and statements are the pool's own behind a JDK proxy; everything else
 * passes through. {@link #unwrap} reaches the pool (its metrics and tests use it); closing this
 * closes the pool.
 */
public final class CountingDataSource extends DelegatingDataSource implements Closeable {

    private static final ClassLoader LOADER = CountingDataSource.class.getClassLoader();

    private final StatementsByPart parts = new StatementsByPart();

    public CountingDataSource(DataSource target) {
        super(target);
    }

    /** Every statement run through this data source, by the part of the service that ran it. */
    public StatementsByPart parts() {
        return parts;
    }

    @Override
    public Connection getConnection() throws SQLException {
        return counting(obtainTargetDataSource().getConnection(), parts);
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        return counting(obtainTargetDataSource().getConnection(username, password), parts);
    }

    /** Closes the pool (the bean's destroy method). */
    @Override
    public void close() throws IOException {
        if (obtainTargetDataSource() instanceof AutoCloseable pool) {
            try {
                pool.close();
            } catch (IOException | RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new IOException(e);
            }
        }
    }

    private static Connection counting(Connection connection, StatementsByPart parts) {
        return (Connection) Proxy.newProxyInstance(
                LOADER, new Class<?>[] {Connection.class}, new CountingConnection(connection, parts));
    }

    /** Identity for equals and hashCode: a proxy is equal to itself only, as the pool's connections are. */
    private abstract static class Counting implements InvocationHandler {
        final Object target;
        final StatementsByPart parts;

        Counting(Object target, StatementsByPart parts) {
            this.target = target;
            this.parts = parts;
        }

        final void counted(String sql) {
            StatementCount.counted(sql);
            parts.counted();
        }

        @Override
        public final Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
            switch (method.getName()) {
                case "equals":
                    if (method.getParameterCount() == 1) {
                        return proxy == args[0];
                    }
                    break;
                case "hashCode":
                    if (method.getParameterCount() == 0) {
                        return System.identityHashCode(proxy);
                    }
                    break;
                default:
            }
            return handle(method, args);
        }

        abstract Object handle(Method method, Object[] args) throws Throwable;

        final Object call(Method method, Object[] args) throws Throwable {
            try {
                return method.invoke(target, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        }
    }

    private static final class CountingConnection extends Counting {

        CountingConnection(Connection target, StatementsByPart parts) {
            super(target, parts);
        }

        @Override
        Object handle(Method method, Object[] args) throws Throwable {
            switch (method.getName()) {
                case "prepareStatement":
                    return statement(PreparedStatement.class, call(method, args), (String) args[0]);
                case "prepareCall":
                    return statement(CallableStatement.class, call(method, args), (String) args[0]);
                case "createStatement":
                    return statement(Statement.class, call(method, args), null);
                case "commit":
                    return countedCall("COMMIT", method, args);
                case "rollback":
                    return countedCall(args == null ? "ROLLBACK" : "ROLLBACK TO SAVEPOINT", method, args);
                case "setSavepoint":
                    return countedCall("SAVEPOINT", method, args);
                case "releaseSavepoint":
                    return countedCall("RELEASE SAVEPOINT", method, args);
                default:
                    return call(method, args);
            }
        }

        private Object countedCall(String sql, Method method, Object[] args) throws Throwable {
            counted(sql);
            return call(method, args);
        }

        private Object statement(Class<? extends Statement> type, Object statement, String sql) {
            return Proxy.newProxyInstance(
                    LOADER, new Class<?>[] {type}, new CountingStatement((Statement) statement, sql, parts));
        }
    }

    private static final class CountingStatement extends Counting {
        /** A prepared statement's SQL; null for a plain statement, whose SQL each execute names. */
        private final String sql;

        CountingStatement(Statement target, String sql, StatementsByPart parts) {
            super(target, parts);
            this.sql = sql;
        }

        @Override
        Object handle(Method method, Object[] args) throws Throwable {
            if (method.getName().startsWith("execute")) {
                counted(args != null && args.length > 0 && args[0] instanceof String given ? given : sql);
            }
            return call(method, args);
        }
    }
}
