package io.deltaplane.metadata.unity;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * An STS endpoint answering {@code AssumeRole} (the AWS query protocol the SDK speaks), because no
 * STS can be reached here: neither S3Proxy nor Azurite has one, and the machine has no network. It
 * records each request as sent (role, session name, duration, session policy) and answers with the
 * credentials it was given — the S3 server's own, which is all S3Proxy accepts — so an engine can
 * use what the platform vended against a real S3 server. Whether the session policy narrows what
 * those credentials may do is AWS's to enforce; the tests check the policy the platform asked for.
 */
final class FakeSts implements AutoCloseable {

    private final HttpServer server;
    private final List<Map<String, String>> requests = new CopyOnWriteArrayList<>();

    private FakeSts(String accessKeyId, String secretAccessKey) throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            Map<String, String> form =
                    form(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            form.put(
                    "authorization", String.valueOf(exchange.getRequestHeaders().getFirst("Authorization")));
            requests.add(form);
            String body = """
                    <AssumeRoleResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
                      <AssumeRoleResult>
                        <Credentials>
                          <AccessKeyId>%s</AccessKeyId>
                          <SecretAccessKey>%s</SecretAccessKey>
                          <SessionToken>session-token-%d</SessionToken>
                          <Expiration>%s</Expiration>
                        </Credentials>
                        <AssumedRoleUser>
                          <AssumedRoleId>AROATEST:%s</AssumedRoleId>
                          <Arn>arn:aws:sts::000000000000:assumed-role/test/%s</Arn>
                        </AssumedRoleUser>
                      </AssumeRoleResult>
                      <ResponseMetadata><RequestId>%d</RequestId></ResponseMetadata>
                    </AssumeRoleResponse>""".formatted(
                            accessKeyId,
                            secretAccessKey,
                            requests.size(),
                            Instant.now()
                                    .plusSeconds(Long.parseLong(form.getOrDefault("DurationSeconds", "3600")))
                                    .truncatedTo(ChronoUnit.SECONDS),
                            form.get("RoleSessionName"),
                            form.get("RoleSessionName"),
                            requests.size());
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "text/xml");
            exchange.sendResponseHeaders(200, bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        });
        server.start();
    }

    static FakeSts answering(String accessKeyId, String secretAccessKey) throws IOException {
        return new FakeSts(accessKeyId, secretAccessKey);
    }

    String endpoint() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** Every request's form fields as sent (and its {@code authorization} header), in order. */
    /** Forgets what was asked (each test counts and numbers its own requests from 1). */
    void clear() {
        requests.clear();
    }

    List<Map<String, String>> requests() {
        return List.copyOf(requests);
    }

    private static Map<String, String> form(String body) {
        Map<String, String> fields = new LinkedHashMap<>();
        for (String pair : body.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                fields.put(
                        URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                        URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return fields;
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
