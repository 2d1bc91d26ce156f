package io.deltaplane.metadata.api.commit;

import static java.util.Objects.requireNonNull;

import io.deltaplane.metadata.commit.CommitResponse;
import io.deltaplane.support.idempotency.LandedAnswers;
import io.deltaplane.support.idempotency.StoredResponse;
import jakarta.servlet.http.HttpServletRequest;
import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The answer a commit request sent with an {@code Idempotency-Key} would have given, built from what
 * its commit recorded on the key ({@code IdempotentOutcomes}) when its process died before storing
 * the answer: {@code 201} with the version and in-commit timestamp (a commit), or each table's version
 * (a transaction) — the same body the request's controller writes. Other requests run again.
 */
@Component
public class CommitLandedAnswers implements LandedAnswers {

    private static final Pattern COMMITS = Pattern.compile("/api/v1/tables/[^/]+/commits");
    private static final String TRANSACTIONS = "/api/v1/transactions";

    private final JsonMapper json;

    public CommitLandedAnswers(JsonMapper json) {
        this.json = requireNonNull(json, "json");
    }

    @Override
    public Optional<StoredResponse> answer(HttpServletRequest request, String landed) {
        String path = request.getRequestURI();
        JsonNode tables = json.readTree(landed);
        Object body;
        if (COMMITS.matcher(path).matches() && tables.size() == 1) {
            JsonNode only = tables.values().iterator().next();
            body = new CommitResponse(
                    only.get("version").asLong(),
                    OffsetDateTime.parse(only.get("committed_at").asString()).toInstant());
        } else if (TRANSACTIONS.equals(path) && !tables.isEmpty()) {
            Map<String, Long> versions = new LinkedHashMap<>();
            tables.properties()
                    .forEach(e ->
                            versions.put(e.getKey(), e.getValue().get("version").asLong()));
            body = new TransactionRequest.Response(versions);
        } else {
            return Optional.empty();
        }
        return Optional.of(new StoredResponse(
                HttpStatus.CREATED.value(), MediaType.APPLICATION_JSON_VALUE, null, json.writeValueAsBytes(body)));
    }
}
