package io.deltaplane.support;

import io.deltaplane.support.access.AccessControl;
import io.deltaplane.support.access.Privilege;
import io.deltaplane.support.access.Securable;
import io.deltaplane.support.security.ApiKeyRequests;
import io.deltaplane.support.security.ClientCredentialsGrant;
import io.deltaplane.support.security.Scope;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/** A tiny service built on the support library, to test the conventions as a service gets them. */
@SpringBootApplication
public class ConventionsTestApplication {

    enum Color {
        RED,
        GREEN
    }

    record Paint(@NotBlank String name, Color color) {}

    @RestController
    static class PaintController {
        static final AtomicInteger created = new AtomicInteger();

        private final AccessControl access;

        PaintController(AccessControl access) {
            this.access = access;
        }

        @PostMapping("/api/v1/paints")
        @ResponseStatus(HttpStatus.CREATED)
        Paint create(@Valid @RequestBody Paint paint) {
            return paint;
        }

        @GetMapping("/api/v1/paints")
        Map<String, Object> list(@RequestParam(defaultValue = "10") int maxResults) {
            return Map.of("max_results", maxResults);
        }

        @PostMapping("/api/v1/counters")
        @ResponseStatus(HttpStatus.CREATED)
        Map<String, Object> count(@Valid @RequestBody Paint paint) {
            if (paint.name().equals("fail")) {
                throw new IllegalStateException("server-side failure");
            }
            return Map.of("id", created.incrementAndGet(), "name", paint.name());
        }

        /** As a table's drop: purging files needs admin, decided on the bound value. */
        @DeleteMapping("/api/v1/paints")
        @ResponseStatus(HttpStatus.NO_CONTENT)
        void delete(@RequestParam(defaultValue = "false") boolean purge, @RequestParam(required = false) Color color) {
            if (purge) {
                ApiKeyRequests.require(Scope.ADMIN, "Purging paints");
            }
        }

        /** Shelves stand for catalogs: reading one needs USE_CATALOG on it, adding to it CREATE_SCHEMA. */
        @GetMapping("/api/v1/shelves/{catalog}")
        Map<String, Object> shelf(@PathVariable String catalog) {
            access.require(Securable.catalog(catalog), Privilege.USE_CATALOG);
            return Map.of("catalog", catalog, "caller", access.caller().principal());
        }

        @PostMapping("/api/v1/shelves/{catalog}")
        @ResponseStatus(HttpStatus.CREATED)
        Map<String, Object> stock(@PathVariable String catalog) {
            access.require(Securable.catalog(catalog), Privilege.CREATE_SCHEMA);
            return Map.of("catalog", catalog);
        }

        @GetMapping("/api/v1/boom")
        String boom() {
            throw new IllegalStateException("secret internal detail");
        }
    }

    /** The key-for-token exchange, where a door serves it (metadata-service's IcebergTokensController). */
    @RestController
    static class TokenController {
        private final ClientCredentialsGrant grant;

        TokenController(ClientCredentialsGrant grant) {
            this.grant = grant;
        }

        @PostMapping(ClientCredentialsGrant.ICEBERG_TOKENS)
        ResponseEntity<Map<String, Object>> token(
                HttpServletRequest request,
                @RequestParam(name = "grant_type", required = false) String grantType,
                @RequestParam(name = "client_id", required = false) String clientId,
                @RequestParam(name = "client_secret", required = false) String clientSecret) {
            return grant.exchange(request, grantType, clientId, clientSecret);
        }
    }
}
