package io.deltaplane.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The four Dockerfiles, checked against each app's Maven module and configuration (no Docker engine here). */
class DockerfileTest {

    /** The launcher the extracted layers are started with (Spring Boot 3.2+ package). */
    private static final String LAUNCHER = "org.springframework.boot.loader.launch.JarLauncher";

    @Test
    void everyImageIsBuiltFromItsModulesRepackagedJarInLayers() {
        for (App app : App.ALL) {
            String dockerfile = dockerfile(app);

            assertThat(instructions(dockerfile, "FROM"))
                    .as(app.component() + ": multi-stage")
                    .hasSize(2);
            assertThat(dockerfile)
                    .as(app.component())
                    .contains("ARG JAR_FILE=target/" + app.jarName())
                    .contains("java -Djarmode=tools -jar application.jar extract --layers --launcher");
            for (String layer : List.of("dependencies", "spring-boot-loader", "snapshot-dependencies", "application")) {
                assertThat(dockerfile)
                        .as(app.component() + " copies layer " + layer)
                        .contains("/extracted/" + layer + "/ ./");
            }
            assertThat(App.read(app.path().resolve(".dockerignore")))
                    .as(app.component() + ": the build context keeps the jar")
                    .contains("!target/deltaplane-*.jar");
        }
    }

    @Test
    void theEntryPointIsSpringBootsJarLauncher() throws ClassNotFoundException {
        // The class exists in the Spring Boot version the apps are built with.
        Class.forName(LAUNCHER);
        for (App app : App.ALL) {
            assertThat(instructions(dockerfile(app), "ENTRYPOINT"))
                    .as(app.component())
                    .containsExactly("[\"java\", \"" + LAUNCHER + "\"]");
        }
    }

    @Test
    void runsAsAFixedNonRootUserOnTheAppsOwnPort() {
        for (App app : App.ALL) {
            String dockerfile = dockerfile(app);
            int port = app.defaultPort();

            assertThat(instructions(dockerfile, "USER"))
                    .as(app.component() + " user")
                    .containsExactly("10001:10001");
            assertThat(instructions(dockerfile, "EXPOSE"))
                    .as(app.component() + " port")
                    .containsExactly(String.valueOf(port));
            assertThat(instructions(dockerfile, "ENV"))
                    .as(app.component() + " PORT")
                    .contains("PORT=" + port);
        }
    }

    @Test
    void theHeapFollowsTheContainerLimitAndHealthIsTheReadinessProbe() {
        for (App app : App.ALL) {
            String dockerfile = dockerfile(app);

            assertThat(instructions(dockerfile, "ENV"))
                    .as(app.component() + " JVM flags")
                    .anySatisfy(env -> assertThat(env)
                            .startsWith("JDK_JAVA_OPTIONS=")
                            .containsPattern("-XX:MaxRAMPercentage=[0-9.]+")
                            .contains("-XX:+ExitOnOutOfMemoryError")
                            .doesNotContain("-Xmx"));
            assertThat(String.join(" ", instructions(dockerfile, "HEALTHCHECK")))
                    .as(app.component() + " health check")
                    .contains("http://127.0.0.1:${PORT}/actuator/health/readiness");
        }
    }

    private static String dockerfile(App app) {
        return App.read(app.path().resolve("Dockerfile"));
    }

    /** The arguments of every instruction of one kind, continuation lines joined. */
    private static List<String> instructions(String dockerfile, String keyword) {
        String joined = dockerfile.replaceAll("\\\\\\n\\s*", " ");
        Matcher m = Pattern.compile("(?m)^" + keyword + "\\s+(.+)$").matcher(joined);
        Stream<String> arguments = m.results().map(r -> r.group(1).trim());
        // ENV A=1 B=2 sets two variables.
        return keyword.equals("ENV")
                ? arguments
                        .flatMap(s -> Arrays.stream(s.split("\\s+(?=[A-Z_]+=)")))
                        .toList()
                : arguments.toList();
    }
}
