package io.deltaplane.support.idempotency;

/** The first response to an idempotent request, replayed to every retry with the same key. */
public record StoredResponse(int status, String contentType, String location, byte[] body) {}
