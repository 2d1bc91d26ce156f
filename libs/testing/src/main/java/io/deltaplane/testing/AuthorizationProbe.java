package io.deltaplane.testing;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Tries every endpoint of a running app with every scope and with every spelling of its path an
 * attacker would try, and lists what answered differently than the scope allows. Endpoints come from
 * the app itself (its handler mappings, or the contract documents for the gateway), so an endpoint
 * added later is probed without anyone editing a test.
 *
 * <p>Rules: with the canonical path, no key is 401, a key whose scope does not cover the endpoint
 * is 403, and a covering key is neither (whatever the handler then says about the made-up ids).
 * With any other spelling (a segment percent-encoded, upper-cased, with a {@code ;} parameter,
 * {@code //}, {@code /./}, {@code /x/../}, a trailing slash) an under-scoped key never gets a 2xx.
 * No answer is ever a 5xx.
 */
public final class AuthorizationProbe {

    /** The scopes, weakest first, as the platform names them. */
    public enum Scope {
        NONE,
        READ,
        WRITE,
        ADMIN
    }

    /** One endpoint: an HTTP method and a path pattern with {@code {variables}}. */
    public record Endpoint(String method, String pattern) {}

    private final String baseUrl;
    private final Map<Scope, String> keys;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** {@code keys}: a key for READ, WRITE and ADMIN (NONE sends none). */
    public AuthorizationProbe(String baseUrl, Map<Scope, String> keys) {
        this.baseUrl = baseUrl;
        this.keys = keys;
    }

    /** The API endpoints ({@code /api/**}) an app routes, from its handler mappings. */
    public static List<Endpoint> endpoints(
            org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping mapping) {
        List<Endpoint> endpoints = new ArrayList<>();
        mapping.getHandlerMethods().keySet().forEach(info -> {
            Set<String> methods = new LinkedHashSet<>();
            info.getMethodsCondition().getMethods().forEach(m -> methods.add(m.name()));
            if (methods.isEmpty()) {
                methods.addAll(List.of("GET", "POST"));
            }
            for (String pattern : info.getPatternValues()) {
                if (pattern.startsWith("/api/")) {
                    methods.forEach(method -> endpoints.add(new Endpoint(method, pattern)));
                }
            }
        });
        endpoints.sort(java.util.Comparator.comparing(Endpoint::pattern).thenComparing(Endpoint::method));
        return endpoints;
    }

    /** The endpoints of committed OpenAPI documents (for the gateway, which routes them). */
    public static List<Endpoint> endpoints(tools.jackson.databind.JsonNode document) {
        List<Endpoint> endpoints = new ArrayList<>();
        for (var path : document.path("paths").properties()) {
            for (var operation : path.getValue().properties()) {
                endpoints.add(new Endpoint(operation.getKey().toUpperCase(Locale.ROOT), path.getKey()));
            }
        }
        return endpoints;
    }

    /**
     * Endpoints reachable without a key: the Iceberg door's OAuth token exchange, whose key is in its
     * body (checked and throttled there, AuthenticationLockoutTest).
     */
    public static final Set<String> OPEN = Set.of("/api/2.1/unity-catalog/iceberg/v1/oauth/tokens");

    /** The scope an endpoint needs: none for an open one, admin paths admin, reads read, everything else write. */
    public static Scope required(Endpoint endpoint) {
        if (OPEN.contains(endpoint.pattern())) {
            return Scope.NONE;
        }
        if (endpoint.pattern().equals("/api/v1/admin") || endpoint.pattern().startsWith("/api/v1/admin/")) {
            return Scope.ADMIN;
        }
        return switch (endpoint.method()) {
            case "GET", "HEAD", "OPTIONS" -> Scope.READ;
            default -> Scope.WRITE;
        };
    }

    /**
     * Every violation found (empty when the app behaves), in the order of {@code endpoints};
     * {@code requests} counts what was sent. Endpoints are probed {@value #PARALLEL} at a time (the
     * requests of one endpoint in order), which only changes how long it takes.
     */
    public List<String> probe(List<Endpoint> endpoints, int[] requests) throws IOException, InterruptedException {
        ExecutorService pool = Executors.newFixedThreadPool(PARALLEL);
        try {
            List<Future<Probed>> probed = new ArrayList<>();
            for (Endpoint endpoint : endpoints) {
                probed.add(pool.submit(() -> probe(endpoint)));
            }
            List<String> violations = new ArrayList<>();
            for (Future<Probed> one : probed) {
                Probed result = one.get();
                violations.addAll(result.violations());
                requests[0] += result.requests();
            }
            return violations;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            throw new IllegalStateException(e.getCause());
        } finally {
            pool.shutdownNow();
        }
    }

    private static final int PARALLEL = 4;

    private record Probed(List<String> violations, int requests) {}

    private Probed probe(Endpoint endpoint) throws IOException, InterruptedException {
        List<String> violations = new ArrayList<>();
        int requests = 0;
        String canonical = canonical(endpoint.pattern());
        Scope required = required(endpoint);
        for (Scope scope : Scope.values()) {
            boolean covered = scope.ordinal() >= required.ordinal();
            int status = send(endpoint.method(), canonical, scope);
            requests++;
            String where = endpoint.method() + " " + canonical + " as " + scope;
            if (status >= 500) {
                violations.add(where + " -> " + status);
            } else if (scope == Scope.NONE && required != Scope.NONE && status != 401) {
                violations.add(where + " -> " + status + " (expected 401)");
            } else if (scope != Scope.NONE && !covered && status != 403) {
                violations.add(where + " -> " + status + " (expected 403: needs " + required + ")");
            } else if (covered && (status == 401 || status == 403)) {
                violations.add(where + " -> " + status + " (the scope covers it)");
            }
            for (String spelling : spellings(canonical)) {
                int variant = send(endpoint.method(), spelling, scope);
                requests++;
                String at = endpoint.method() + " " + spelling + " as " + scope;
                if (variant >= 500) {
                    violations.add(at + " -> " + variant);
                } else if (!covered && variant / 100 == 2) {
                    violations.add(
                            at + " -> " + variant + " (an under-scoped key got through; needs " + required + ")");
                }
            }
        }
        return new Probed(violations, requests);
    }

    /** Path variables filled with harmless made-up values. */
    static String canonical(String pattern) {
        return pattern.replaceAll("\\{\\*?[^}]+}", "probe").replace("/**", "/probe");
    }

    /** The ways the same path can be written to read differently to different layers. */
    static Set<String> spellings(String path) {
        String[] segments = path.substring(1).split("/", -1);
        Set<String> spellings = new LinkedHashSet<>();
        for (int i = 0; i < segments.length; i++) {
            if (segments[i].isEmpty()) {
                continue;
            }
            spellings.add(replace(segments, i, encodeFirst(segments[i])));
            spellings.add(replace(segments, i, segments[i].toUpperCase(Locale.ROOT)));
            spellings.add(replace(segments, i, segments[i] + ";x=1"));
            spellings.add(insertBefore(segments, i, ""));
            spellings.add(insertBefore(segments, i, "."));
            spellings.add(insertBefore(segments, i, "x/.."));
        }
        spellings.add(path + "/");
        spellings.remove(path);
        return spellings;
    }

    private static String encodeFirst(String segment) {
        return String.format("%%%02X", (int) segment.charAt(0)) + segment.substring(1);
    }

    private static String replace(String[] segments, int index, String with) {
        String[] copy = segments.clone();
        copy[index] = with;
        return "/" + String.join("/", copy);
    }

    private static String insertBefore(String[] segments, int index, String extra) {
        List<String> copy = new ArrayList<>(List.of(segments));
        copy.add(index, extra);
        return "/" + String.join("/", copy);
    }

    private int send(String method, String path, Scope scope) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + path))
                .timeout(Duration.ofSeconds(30))
                .method(method, HttpRequest.BodyPublishers.noBody());
        if (scope != Scope.NONE) {
            request.header("Authorization", "Bearer " + keys.get(scope));
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.discarding())
                .statusCode();
    }
}
