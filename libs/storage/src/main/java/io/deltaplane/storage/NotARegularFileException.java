package io.deltaplane.storage;

import java.io.IOException;

/**
 * A file a caller must read as itself was a link (symbolic or hard), reached through a symbolic
 * link, or no regular file: reading it could return another table's bytes.
 */
public class NotARegularFileException extends IOException {

    public NotARegularFileException(String message) {
        super(message);
    }
}
