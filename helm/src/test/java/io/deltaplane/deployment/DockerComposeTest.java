package io.deltaplane.deployment;

import static io.deltaplane.deployment.Yamls.at;
import static io.deltaplane.deployment.Yamls.list;
import static io.deltaplane.deployment.Yamls.map;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * docker-compose.yml cannot be run here (no Docker engine), so it is checked against what the apps
 * themselves read: their application.yml placeholders, ports, and the Dockerfiles it builds.
 */
class DockerComposeTest {

    private static final String COMPOSE_TEXT = App.read(Repository.ROOT.resolve("docker-compose.yml"));
    private static final Map<String, Object> COMPOSE = Yamls.load(Repository.ROOT.resolve("docker-compose.yml"));
    private static final Map<String, String> ENV_EXAMPLE = envExample();

    /** A variable compose interpolates: ${NAME…}; $${NAME} is an escaped literal for the container's shell. */
    private static final Pattern VARIABLE = Pattern.compile("(?<!\\$)\\$\\{([A-Za-z_][A-Za-z0-9_]*)");

    /** ${NAME}, ${NAME:-default}, ${NAME:?message} without another ${…} inside: resolved innermost first. */
    private static final Pattern INNERMOST =
            Pattern.compile("(?<!\\$)\\$\\{([A-Za-z_][A-Za-z0-9_]*)(?::?[-?]([^${}]*))?}");

    private static final Pattern ENDPOINT = Pattern.compile("(?:^|//|,)([a-z][a-z0-9-]*):([0-9]+)");

    @Test
    void runsPostgresKafkaAndTheFourApps() {
        Set<String> expected = new TreeSet<>(Set.of("postgres", "kafka"));
        App.ALL.forEach(app -> expected.add(app.component()));

        assertThat(services().keySet()).containsExactlyInAnyOrderElementsOf(expected);
        assertThat((String) at(service("postgres"), "image")).startsWith("postgres:16");
        assertThat(environment("kafka")).containsEntry("KAFKA_PROCESS_ROLES", "broker,controller");
    }

    @Test
    void everyAppIsBuiltFromItsOwnDockerfileAndPublishesItsOwnPort() {
        for (App app : App.ALL) {
            Map<String, Object> service = service(app.component());
            int port = app.defaultPort();

            assertThat(service.get("build"))
                    .as(app.component() + " build context")
                    .isEqualTo("./" + app.directory());
            assertThat(app.path().resolve("Dockerfile"))
                    .as(app.component() + " Dockerfile")
                    .isRegularFile();
            assertThat((String) service.get("image")).startsWith("deltaplane/" + app.component() + ":");
            assertThat(list(service.get("ports")))
                    .as(app.component() + " ports")
                    .containsExactly(port + ":" + port);
            assertThat(environment(app.component()).get("PORT"))
                    .as(app.component() + " PORT")
                    .isEqualTo(String.valueOf(port));
        }
        assertThat(list(service("kafka").get("ports"))).containsExactly("9092:9092");
    }

    @Test
    void everySettingAnAppReadsIsPassedAndNothingItDoesNotRead() {
        for (App app : App.ALL) {
            Set<String> passed = environment(app.component()).keySet();

            assertThat(passed)
                    .as(
                            "%s reads these settings (%s); docker-compose.yml must pass each (and .env.example list it)",
                            app.component(), app.configFiles())
                    .containsAll(app.settings().keySet());
            assertThat(Settings.accepted(app))
                    .as("docker-compose.yml passes %s settings its configuration never reads", app.component())
                    .containsAll(passed);
        }
    }

    @Test
    void containersReachEachOtherByServiceNameAndStartOnlyOnceTheirDependenciesAreHealthy() {
        for (App app : App.ALL) {
            Map<String, Object> dependsOn = map(service(app.component()).get("depends_on"));
            environment(app.component()).forEach((name, value) -> {
                String resolved = interpolate(value);
                assertThat(resolved)
                        .as("%s %s: localhost inside a container is the container itself", app.component(), name)
                        .doesNotContain("localhost")
                        .doesNotContain("127.0.0.1");
                Matcher endpoint = ENDPOINT.matcher(resolved);
                while (endpoint.find()) {
                    String host = endpoint.group(1);
                    int port = Integer.parseInt(endpoint.group(2));
                    assertThat(services())
                            .as("%s %s names service %s", app.component(), name, host)
                            .containsKey(host);
                    assertThat(port)
                            .as("%s %s: port of %s", app.component(), name, host)
                            .isEqualTo(containerPort(host));
                    assertThat(at(dependsOn, host + ".condition"))
                            .as("%s calls %s, so it waits until %s is healthy", app.component(), host, host)
                            .isEqualTo("service_healthy");
                }
            });
            for (String dependency : dependsOn.keySet()) {
                assertThat(hasHealthCheck(dependency))
                        .as("%s has a health check to wait for", dependency)
                        .isTrue();
            }
        }
        assertThat(map(service("gateway").get("depends_on")).keySet())
                .contains("metadata-service", "lineage-service", "ingest-worker");
    }

    @Test
    void dataDirectoriesLiveOnVolumesTheImageCreatedForTheAppUser() {
        Set<String> declared = map(COMPOSE.get("volumes")).keySet();
        for (App app : App.ALL) {
            Map<String, String> mounts = new LinkedHashMap<>();
            for (Object volume : Yamls.listAt(service(app.component()), "volumes")) {
                String[] parts = ((String) volume).split(":");
                assertThat(declared).as("named volume of %s", app.component()).contains(parts[0]);
                mounts.put(parts[1], parts[0]);
            }
            String dockerfile = App.read(app.path().resolve("Dockerfile"));
            environment(app.component()).forEach((name, value) -> {
                String path = interpolate(value);
                if (!path.startsWith("/var/lib/deltaplane")) {
                    return;
                }
                String mount = mounts.keySet().stream()
                        .filter(m -> path.equals(m) || path.startsWith(m + "/"))
                        .findFirst()
                        .orElseThrow(() -> new AssertionError(app.component() + " " + name + "=" + path
                                + " is not on a volume: its data would vanish with the container"));
                // A fresh named volume copies the image's directory, owner included.
                assertThat(dockerfile)
                        .as("%s Dockerfile creates %s", app.component(), mount)
                        .contains(mount);
            });
        }
    }

    @Test
    void envExampleListsEveryVariableTheComposeFileReadsAndNoOther() {
        Set<String> interpolated = new TreeSet<>();
        Matcher m = VARIABLE.matcher(COMPOSE_TEXT);
        while (m.find()) {
            interpolated.add(m.group(1));
        }
        assertThat(ENV_EXAMPLE.keySet()).containsExactlyInAnyOrderElementsOf(interpolated);
    }

    @Test
    void secretsAreRequiredOrEmptyNeverShippedWithAValue() {
        for (String secret : List.of(
                "POSTGRES_PASSWORD",
                "DELTAPLANE_ADMIN_API_KEY",
                "DELTAPLANE_SERVICE_API_KEY",
                "MOTHERDUCK_TOKEN",
                "DELTAPLANE_SECRET_EVENTHUBS")) {
            assertThat(ENV_EXAMPLE).as(".env.example lists " + secret).containsEntry(secret, "");
        }
        // Without them the stack cannot start: compose refuses to run instead of using a blank password.
        assertThat(COMPOSE_TEXT).contains("${POSTGRES_PASSWORD:?").contains("${DELTAPLANE_ADMIN_API_KEY:?");
    }

    private static boolean hasHealthCheck(String service) {
        if (service(service).containsKey("healthcheck")) {
            return true;
        }
        App app = App.byComponent(service);
        return App.read(app.path().resolve("Dockerfile")).contains("HEALTHCHECK");
    }

    private static int containerPort(String service) {
        return switch (service) {
            case "postgres" -> 5432;
            case "kafka" -> internalKafkaPort();
            default -> App.byComponent(service).defaultPort();
        };
    }

    /** The port of the INTERNAL listener the broker advertises to other containers. */
    private static int internalKafkaPort() {
        Matcher m = Pattern.compile("INTERNAL://kafka:([0-9]+)")
                .matcher(environment("kafka").get("KAFKA_ADVERTISED_LISTENERS"));
        assertThat(m.find())
                .as("kafka advertises an INTERNAL listener as kafka:<port>")
                .isTrue();
        return Integer.parseInt(m.group(1));
    }

    /** Resolves ${NAME:-default} (nested too) the way compose does with .env.example copied to .env. */
    private static String interpolate(String value) {
        String current = value;
        while (true) {
            Matcher m = INNERMOST.matcher(current);
            if (!m.find()) {
                return current;
            }
            String fromEnv = ENV_EXAMPLE.getOrDefault(m.group(1), "");
            String replacement = fromEnv.isEmpty() && m.group(2) != null ? m.group(2) : fromEnv;
            current = current.substring(0, m.start()) + replacement + current.substring(m.end());
        }
    }

    private static Map<String, Object> services() {
        return map(COMPOSE.get("services"));
    }

    private static Map<String, Object> service(String name) {
        return map(services().get(name));
    }

    private static Map<String, String> environment(String service) {
        Map<String, String> env = new LinkedHashMap<>();
        map(service(service).get("environment")).forEach((k, v) -> env.put(k, String.valueOf(v)));
        return env;
    }

    private static Map<String, String> envExample() {
        Map<String, String> env = new LinkedHashMap<>();
        Set<String> seen = new LinkedHashSet<>();
        for (String line : App.read(Repository.ROOT.resolve(".env.example")).split("\n")) {
            String trimmed = line.trim();
            if (trimmed.isEmpty() || trimmed.startsWith("#")) {
                continue;
            }
            int eq = trimmed.indexOf('=');
            assertThat(eq).as(".env.example line: " + line).isPositive();
            String name = trimmed.substring(0, eq);
            assertThat(seen.add(name)).as(".env.example sets %s twice", name).isTrue();
            env.put(name, trimmed.substring(eq + 1));
        }
        return env;
    }
}
