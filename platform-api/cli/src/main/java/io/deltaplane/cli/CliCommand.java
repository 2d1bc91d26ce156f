package io.deltaplane.cli;

import com.fasterxml.jackson.databind.JsonNode;
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
