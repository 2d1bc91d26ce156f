package io.deltaplane.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.deltaplane.client.GeneratedApis;
import io.deltaplane.client.generated.gateway.api.AdminApi;
import io.deltaplane.client.generated.ingest.api.IngestApi;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** A leaf command: reaches the shared settings, client and output through the root command. */
abstract class CliCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    DeltaplaneCli cli() {
        return (DeltaplaneCli) spec.root().userObject();
    }

    Output output() {
        return cli().output();
    }

    /**
     * The gateway's own API — API keys, principals, groups, the audit chain — generated from the
     * committed contract ({@code platform-api/openapi/gateway.json}); call it through {@link #call}.
     */
    AdminApi admin() {
        return new AdminApi(cli().client().generated().gateway());
    }

    /** The ingest worker's API (mappings' status, rows, dead letters, validation), generated likewise. */
    IngestApi ingest() {
        return new IngestApi(cli().client().generated().ingest());
    }

    /**
     * One call of the generated clients; a failure is the client's {@link
     * io.deltaplane.client.DeltaplaneException} (status, error code, request id), as for every command.
     */
    <T> T call(GeneratedApis.GeneratedCall<T> call) {
        return cli().client().generated().call(call);
    }

    /** A call of the generated clients that answers nothing (a delete, a membership). */
    interface Action {
        void run() throws Exception;
    }

    void act(Action action) {
        call(() -> {
            action.run();
            return null;
        });
    }

    JsonNode tree(Object value) {
        return cli().json().valueToTree(value);
    }

    static String encode(String segment) {
        return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /**
     * A Delta {@code add} path (relative, URI-encoded as the protocol has it) as the URL path of the
     * object it names: decoded, then each segment encoded, the slashes kept.
     */
    static String encodePath(String addPath) {
        String decoded = java.net.URLDecoder.decode(addPath.replace("+", "%2B"), StandardCharsets.UTF_8);
        java.util.List<String> segments = new java.util.ArrayList<>();
        for (String segment : decoded.split("/", -1)) {
            segments.add(encode(segment));
        }
        return String.join("/", segments);
    }
}
