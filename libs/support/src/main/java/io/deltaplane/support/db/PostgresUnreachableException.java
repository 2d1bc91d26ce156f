package io.deltaplane.support.db;

/** Postgres could not be reached at start-up; the failure analyzer turns it into a clear message. */
public final class PostgresUnreachableException extends RuntimeException {
    private final String url;

    public PostgresUnreachableException(String url, Throwable cause) {
        super("Cannot reach Postgres at " + url + ": " + cause.getMessage(), cause);
        this.url = url;
    }

    public String url() {
        return url;
    }
}
