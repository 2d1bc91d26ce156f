package io.deltaplane.metadata.commit;

import java.time.Instant;

/** The version a commit created and its in-commit timestamp. */
public record CommitResponse(long version, Instant committedAt) {}
