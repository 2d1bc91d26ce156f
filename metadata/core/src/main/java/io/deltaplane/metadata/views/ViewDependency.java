package io.deltaplane.metadata.views;

/** What a view reads: a table (or another view) or a function, by full name {@code c.s.n}. */
public record ViewDependency(Kind kind, String fullName) {

    public enum Kind {
        TABLE,
        FUNCTION
    }
}
