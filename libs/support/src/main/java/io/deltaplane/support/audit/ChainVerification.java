package io.deltaplane.support.audit;

/**
 * The outcome of walking the audit chain: {@code intact} when every chained row still hashes to
 * what the chain says, with none missing; otherwise the first {@code seq} where it breaks and why.
 *
 * @param checked chained rows checked
 * @param lastSeq the last seq checked (0 for an empty chain)
 * @param unchained rows not chained yet (written in the last moments)
 */
public record ChainVerification(
        boolean intact, long checked, long lastSeq, long unchained, Long brokenAt, String reason) {}
