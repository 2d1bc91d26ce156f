package io.deltaplane.support.audit;

import java.time.Instant;

/**
 * Which audit events to list; null fields do not filter. {@code securable} matches the securable
 * and everything inside it ({@code main} also finds {@code main.sales.orders}).
 */
public record AuditQuery(String principal, String securable, String action, Instant since, Instant until) {}
