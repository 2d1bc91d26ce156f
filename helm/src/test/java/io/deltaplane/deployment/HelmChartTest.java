package io.deltaplane.deployment;

import static io.deltaplane.deployment.Chart.RELEASE;
import static io.deltaplane.deployment.Yamls.at;
import static io.deltaplane.deployment.Yamls.listAt;
import static io.deltaplane.deployment.Yamls.map;
import static io.deltaplane.deployment.Yamls.mapAt;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.deltaplane.support.security.SecurityProperties;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.DefaultValue;

/** helm/deltaplane rendered by helm-java with the values an operator must give, and a few variants. */
class HelmChartTest {

    private static final Set<String> SCALED = Set.of("gateway", "metadata", "lineage");

    private static Chart.Rendered defaults;

    /** Every optional secret in use: MotherDuck, Event Hubs, the service key, the Ingress. */
    private static Chart.Rendered production;

    @BeforeAll
    static void render() {
        defaults = Chart.render(Chart.requiredValues());
        production = Chart.render(Chart.merge(
                Chart.requiredValues(),
                Map.of(
                        "auth", Map.of("serviceApiKeyKey", "service-api-key"),
                        "gateway", Map.of("ingress", Map.of("enabled", true, "className", "nginx")),
                        "metadata",
                                Map.of(
                                        "objectStorage",
                                        Map.of(
                                                "roots",
                                                List.of(
                                                        "s3://lake/tables",
                                                        "abfss://lake@acct.dfs.core.windows.net/tables"),
                                                "aws",
                                                Map.of("region", "eu-west-1"),
                                                "azure",
                                                Map.of(
                                                        "account", "acct",
                                                        "existingSecret", "deltaplane-azure",
                                                        "accountKeyKey", "account-key"))),
                        "ingest",
                                Map.of(
                                        "replicaCount",
                                        3,
                                        "warehouse",
                                        Map.of(
                                                "mode",
                                                "motherduck",
                                                "motherduck",
                                                Map.of(
                                                        "database", "lakehouse",
                                                        "existingSecret", "deltaplane-motherduck")),
                                        "kafka",
                                        Map.of("bootstrapServers", "ns.servicebus.windows.net:9093"),
                                        "sourceSecrets",
                                        List.of(Map.of(
                                                "env", "DELTAPLANE_SECRET_EVENTHUBS",
                                                "existingSecret", "deltaplane-eventhubs",
                                                "key", "connection-string"))))));
    }

    @Test
    void everyAppHasADeploymentAServiceAndAConfigMap() {
        for (App app : App.ALL) {
            String name = name(app);
            assertThat(defaults.find("Deployment", name)).as(name).isPresent();
            assertThat(defaults.find("Service", name)).as(name).isPresent();
            assertThat(defaults.find("ConfigMap", name)).as(name).isPresent();

            Map<String, Object> container = defaults.container(app.valuesKey());
            assertThat(container.get("name")).isEqualTo(app.component());
            // The same image docker compose builds from the app's Dockerfile.
            assertThat(container.get("image")).isEqualTo("deltaplane/" + app.component() + ":0.1.0-SNAPSHOT");
        }
        assertThat(defaults.ofKind("Deployment")).hasSize(4);
        assertThat(defaults.ofKind("Service")).hasSize(4);
    }

    @Test
    void podsServiceAndSettingsUseTheAppsOwnPort() {
        for (App app : App.ALL) {
            int port = app.defaultPort();
            Map<String, Object> container = defaults.container(app.valuesKey());
            Map<String, Object> service = defaults.get("Service", name(app));

            assertThat(at(listAt(container, "ports").get(0), "containerPort")).isEqualTo(port);
            assertThat(at(listAt(service, "spec.ports").get(0), "port")).isEqualTo(port);
            assertThat(at(listAt(service, "spec.ports").get(0), "targetPort")).isEqualTo("http");
            assertThat(config(defaults, app)).containsEntry("PORT", String.valueOf(port));
            assertThat(mapAt(service, "spec.selector"))
                    .isEqualTo(mapAt(defaults.get("Deployment", name(app)), "spec.selector.matchLabels"));
        }
    }

    @Test
    void probesUseTheActuatorHealthGroups() {
        for (App app : App.ALL) {
            Map<String, Object> container = defaults.container(app.valuesKey());

            assertThat(at(container, "startupProbe.httpGet.path")).isEqualTo("/actuator/health/liveness");
            assertThat(at(container, "livenessProbe.httpGet.path")).isEqualTo("/actuator/health/liveness");
            assertThat(at(container, "readinessProbe.httpGet.path")).isEqualTo("/actuator/health/readiness");
            for (String probe : List.of("startupProbe", "livenessProbe", "readinessProbe")) {
                assertThat(at(container, probe + ".httpGet.port"))
                        .as(app.component() + " " + probe)
                        .isEqualTo("http");
            }
        }
    }

    @Test
    void everyContainerHasResourcesAndAHeapSizedFromItsMemoryLimit() {
        for (App app : App.ALL) {
            Map<String, Object> container = defaults.container(app.valuesKey());

            assertThat(at(container, "resources.requests.cpu"))
                    .as(app.component())
                    .isNotNull();
            assertThat(at(container, "resources.requests.memory"))
                    .as(app.component())
                    .isNotNull();
            assertThat(at(container, "resources.limits.memory"))
                    .as(app.component())
                    .isNotNull();
            String jvm = config(defaults, app).get("JDK_JAVA_OPTIONS");
            assertThat(jvm).contains("-XX:+ExitOnOutOfMemoryError").doesNotContain("-Xmx");
            assertThat(jvm)
                    .contains(app.valuesKey().equals("ingest") ? "-XX:MaxRAMPercentage=50" : "-XX:MaxRAMPercentage=75");
        }
    }

    @Test
    void secretsAreReferencedByNameAndNeverRendered() {
        for (Chart.Rendered rendered : List.of(defaults, production)) {
            assertThat(rendered.ofKind("Secret")).isEmpty();
            for (App app : App.ALL) {
                Map<String, String> refs = secretRefs(rendered, app);
                assertThat(refs)
                        .containsEntry("DELTAPLANE_DB_PASSWORD", "deltaplane-db/password")
                        .containsEntry("DELTAPLANE_ADMIN_API_KEY", "deltaplane-auth/admin-api-key");
                // Nothing secret is a plain value: not in the ConfigMap, not as env value.
                Set<String> plain = new TreeSet<>(config(rendered, app).keySet());
                listAt(rendered.container(app.valuesKey()), "env").stream()
                        .map(Yamls::map)
                        .filter(e -> !e.containsKey("valueFrom"))
                        .forEach(e -> plain.add((String) e.get("name")));
                assertThat(plain)
                        .as(app.component() + " plain settings")
                        .noneMatch(n -> n.matches(".*(PASSWORD|API_KEY|TOKEN|CONNECTION_STRING|SECRET).*"));
            }
        }
        assertThat(secretRefs(production, App.byComponent("ingest-worker")))
                .containsEntry("MOTHERDUCK_TOKEN", "deltaplane-motherduck/motherduck-token")
                .containsEntry("DELTAPLANE_SECRET_EVENTHUBS", "deltaplane-eventhubs/connection-string");
        assertThat(secretRefs(production, App.byComponent("metadata-service")))
                .containsEntry("DELTAPLANE_SERVICE_API_KEY", "deltaplane-auth/service-api-key");
        // Without a key of its own, the relay uses the admin key (as ./platform up does).
        assertThat(secretRefs(defaults, App.byComponent("metadata-service")))
                .containsEntry("DELTAPLANE_SERVICE_API_KEY", "deltaplane-auth/admin-api-key");
    }

    @Test
    void objectStorageRootsReachMetadataAndTheSdkSettingsReachMetadataAndTheWorkerWithTheKeyByReference() {
        assertThat(config(production, App.byComponent("metadata-service")))
                .containsEntry(
                        "DELTAPLANE_STORAGE_ROOTS", "s3://lake/tables,abfss://lake@acct.dfs.core.windows.net/tables")
                .containsEntry("AWS_REGION", "eu-west-1")
                .containsEntry("AZURE_STORAGE_ACCOUNT", "acct")
                .doesNotContainKey("AWS_ENDPOINT_URL_S3");
        assertThat(secretRefs(production, App.byComponent("metadata-service")))
                .containsEntry("AZURE_STORAGE_KEY", "deltaplane-azure/account-key")
                .doesNotContainKey("AZURE_STORAGE_CONNECTION_STRING");
        // The ingest worker writes Delta targets' data files to the same stores, with the same settings.
        assertThat(config(production, App.byComponent("ingest-worker")))
                .containsEntry("AWS_REGION", "eu-west-1")
                .containsEntry("AZURE_STORAGE_ACCOUNT", "acct")
                .doesNotContainKey("DELTAPLANE_STORAGE_ROOTS");
        assertThat(secretRefs(production, App.byComponent("ingest-worker")))
                .containsEntry("AZURE_STORAGE_KEY", "deltaplane-azure/account-key");
        // Nothing configured: no object storage settings at all (DefaultAzureCredential, default chain).
        assertThat(config(defaults, App.byComponent("metadata-service")))
                .doesNotContainKeys("DELTAPLANE_STORAGE_ROOTS", "AWS_REGION", "AZURE_STORAGE_ACCOUNT");
        assertThat(secretRefs(defaults, App.byComponent("metadata-service")))
                .doesNotContainKeys("AZURE_STORAGE_KEY", "AZURE_STORAGE_CONNECTION_STRING");
    }

    @Test
    void everySettingIsOneTheAppReadsAndNoneIsLeftAtADeveloperDefault() {
        for (Chart.Rendered rendered : List.of(defaults, production)) {
            for (App app : App.ALL) {
                Set<String> given = new TreeSet<>(config(rendered, app).keySet());
                listAt(rendered.container(app.valuesKey()), "env").forEach(e -> given.add((String) map(e).get("name")));

                assertThat(Settings.accepted(app))
                        .as("the chart gives %s settings its configuration never reads", app.component())
                        .containsAll(given);
                assertThat(given)
                        .as(
                                "%s needs these settings in a cluster (no default, or a localhost/relative one)",
                                app.component())
                        .containsAll(app.settingsWithoutContainerDefault());
            }
        }
        assertThat(config(defaults, App.byComponent("gateway")))
                .containsEntry("DELTAPLANE_METADATA_URL", "http://dp-deltaplane-metadata:8081")
                .containsEntry("DELTAPLANE_LINEAGE_URL", "http://dp-deltaplane-lineage:8082")
                .containsEntry("DELTAPLANE_INGEST_URL", "http://dp-deltaplane-ingest:8083");
        assertThat(config(defaults, App.byComponent("metadata-service")))
                .containsEntry(
                        "DELTAPLANE_DB_URL", "jdbc:postgresql://pg.example.internal:5432/deltaplane?sslmode=require")
                .containsEntry("DELTAPLANE_LINEAGE_URL", "http://dp-deltaplane-lineage:8082");
    }

    @Test
    void onlyTheGatewayReachesTheOtherAppsMetadataReachesLineageAndIngestReachesBoth() {
        Map<String, Set<String>> callers = new LinkedHashMap<>();
        for (App app : App.ALL) {
            Map<String, Object> policy = defaults.get("NetworkPolicy", name(app));
            assertThat(mapAt(policy, "spec.podSelector.matchLabels"))
                    .isEqualTo(mapAt(defaults.get("Deployment", name(app)), "spec.selector.matchLabels"));
            assertThat(listAt(policy, "spec.policyTypes")).containsExactly("Ingress");

            Set<String> from = new TreeSet<>();
            for (Object rule : listAt(policy, "spec.ingress")) {
                assertThat(listAt(rule, "ports")).extracting(p -> at(p, "port")).containsExactly("http");
                List<Object> peers = listAt(rule, "from");
                if (peers.isEmpty()) {
                    from.add("*");
                }
                for (Object peer : peers) {
                    Object labels = at(peer, "podSelector.matchLabels");
                    Object component = labels == null ? null : map(labels).get("app.kubernetes.io/component");
                    from.add(
                            component != null
                                    ? (String) component
                                    : "scraper:" + at(peer, "namespaceSelector.matchLabels"));
                }
            }
            callers.put(app.component(), from);
        }
        String scraper = "scraper:{kubernetes.io/metadata.name=monitoring}";
        assertThat(callers)
                .containsEntry("gateway", Set.of("*"))
                .containsEntry("metadata-service", Set.of("gateway", "ingest-worker", scraper))
                .containsEntry("lineage-service", Set.of("gateway", "metadata-service", "ingest-worker", scraper))
                .containsEntry("ingest-worker", Set.of("gateway", scraper));

        Chart.Rendered noMetrics =
                Chart.render(Chart.merge(Chart.requiredValues(), Map.of("metrics", Map.of("enabled", false))));
        assertThat(listAt(noMetrics.get("NetworkPolicy", RELEASE + "-deltaplane-ingest"), "spec.ingress"))
                .hasSize(1);
    }

    @Test
    void gatewayMetadataAndLineageAutoscaleAndKeepAPodThroughDisruptions() {
        for (App app : App.ALL) {
            boolean scaled = SCALED.contains(app.valuesKey());
            Map<String, Object> deployment = defaults.get("Deployment", name(app));

            var hpa = defaults.find("HorizontalPodAutoscaler", name(app));
            assertThat(hpa.isPresent()).as(app.component() + " HPA").isEqualTo(scaled);
            hpa.ifPresent(h -> {
                assertThat(at(h, "spec.scaleTargetRef.kind")).isEqualTo("Deployment");
                assertThat(at(h, "spec.scaleTargetRef.name")).isEqualTo(name(app));
                assertThat(at(h, "spec.minReplicas")).isEqualTo(2);
                assertThat(at(listAt(h, "spec.metrics").get(0), "resource.name"))
                        .isEqualTo("cpu");
            });
            // The HPA owns the replica count; a fixed one would fight it on every upgrade.
            assertThat(mapAt(deployment, "spec").containsKey("replicas"))
                    .as(app.component())
                    .isEqualTo(!scaled);
            var pdb = defaults.find("PodDisruptionBudget", name(app));
            assertThat(pdb.isPresent()).as(app.component() + " PDB").isEqualTo(scaled);
            pdb.ifPresent(p -> {
                assertThat(at(p, "spec.minAvailable")).isEqualTo(1);
                assertThat(mapAt(p, "spec.selector.matchLabels"))
                        .isEqualTo(mapAt(deployment, "spec.selector.matchLabels"));
            });
        }

        Chart.Rendered fixed = Chart.render(Chart.merge(
                Chart.requiredValues(), Map.of("gateway", Map.of("autoscaling", Map.of("enabled", false)))));
        assertThat(fixed.find("HorizontalPodAutoscaler", RELEASE + "-deltaplane-gateway"))
                .isEmpty();
        assertThat(at(fixed.get("Deployment", RELEASE + "-deltaplane-gateway"), "spec.replicas"))
                .isEqualTo(2);
    }

    @Test
    void rollingUpdatesNeverDropBelowTheReplicaCount() {
        for (String key : SCALED) {
            Map<String, Object> strategy =
                    mapAt(defaults.get("Deployment", RELEASE + "-deltaplane-" + key), "spec.strategy");
            assertThat(strategy.get("type")).isEqualTo("RollingUpdate");
            assertThat(at(strategy, "rollingUpdate.maxUnavailable")).isEqualTo(0);
            assertThat(at(strategy, "rollingUpdate.maxSurge")).isEqualTo(1);
        }
    }

    /**
     * Pool sizes against the replica maximums: with {@code database.maxConnections} set, a chart whose
     * apps could open more connections at full scale (each app's most replicas + 1 during a rolling
     * update, times the pool) does not install, naming the figure.
     */
    @Test
    void theAppsAtFullScaleMustFitThePostgresConnectionsGiven() {
        // defaults: gateway and metadata up to 6, lineage 4, ingest 1; each + 1; pool 10 = 210
        assertThatThrownBy(() -> Chart.render(
                        Chart.merge(Chart.requiredValues(), Map.of("database", Map.of("maxConnections", 209)))))
                .hasMessageContaining("database.maxConnections is 209")
                .hasMessageContaining("can open 210 connections");
        assertThat(Chart.render(Chart.merge(Chart.requiredValues(), Map.of("database", Map.of("maxConnections", 210))))
                        .find("Deployment", name(App.ALL.get(0))))
                .isPresent();
        assertThat(Chart.installNotes(Chart.requiredValues()))
                .contains("Postgres connections at full scale: up to 210");
        // a smaller pool fits the same limit
        assertThat(Chart.render(Chart.merge(
                                Chart.requiredValues(),
                                Map.of("database", Map.of("maxConnections", 120, "maxPoolSize", 5))))
                        .find("Deployment", name(App.ALL.get(0))))
                .isPresent();
    }

    /**
     * {@code metadata.worker.enabled}: the background jobs in a Deployment of their own — the same
     * image and settings with its API off ({@code DELTAPLANE_PROCESS_API=false}), its own pods (the
     * metadata Service and autoscaler never select them), a disruption budget, spread like every app,
     * reachable by nobody (a NetworkPolicy without callers), counted in the connections at full
     * scale; the metadata pods then answer the API only. Off by default: one kind of pod does both
     * ({@code ProcessRolesTest} runs the two roles of the application).
     */
    @Test
    void theBackgroundJobsCanRunInAMetadataWorkerDeploymentOfTheirOwn() {
        String metadata = RELEASE + "-deltaplane-metadata";
        String worker = metadata + "-worker";
        assertThat(defaults.find("Deployment", worker)).isEmpty();
        assertThat(listAt(defaults.container("metadata"), "env"))
                .extracting(e -> map(e).get("name"))
                .doesNotContain("DELTAPLANE_PROCESS_API", "DELTAPLANE_PROCESS_BACKGROUNDJOBS");

        Chart.Rendered split = Chart.render(Chart.merge(
                Chart.requiredValues(), Map.of("metadata", Map.of("worker", Map.of("enabled", true)))));
        Map<String, Object> jobs = split.get("Deployment", worker);
        Map<String, Object> api = split.get("Deployment", metadata);
        Map<String, Object> jobsContainer = split.container("metadata-worker");
        Map<String, Object> apiContainer = split.container("metadata");
        assertThat(at(jobs, "spec.replicas")).isEqualTo(2);
        assertThat(jobsContainer.get("image")).isEqualTo(apiContainer.get("image"));
        assertThat(jobsContainer.get("envFrom")).as("the same settings").isEqualTo(apiContainer.get("envFrom"));
        assertThat(env(jobsContainer)).containsEntry("DELTAPLANE_PROCESS_API", "false");
        assertThat(env(apiContainer))
                .containsEntry("DELTAPLANE_PROCESS_BACKGROUNDJOBS", "false")
                .doesNotContainKey("DELTAPLANE_PROCESS_API");
        Map<String, Object> workerPods = mapAt(jobs, "spec.template.metadata.labels");
        assertThat(workerPods).containsEntry("app.kubernetes.io/component", "metadata-worker");
        assertThat(workerPods
                        .entrySet()
                        .containsAll(mapAt(split.get("Service", metadata), "spec.selector")
                                .entrySet()))
                .as("the metadata Service selects a worker pod")
                .isFalse();
        assertThat(mapAt(api, "spec.selector.matchLabels")).isNotEqualTo(mapAt(jobs, "spec.selector.matchLabels"));
        assertThat(mapAt(split.get("PodDisruptionBudget", worker), "spec.selector.matchLabels"))
                .isEqualTo(mapAt(jobs, "spec.selector.matchLabels"));
        assertThat(split.find("HorizontalPodAutoscaler", worker)).isEmpty();
        assertThat(split.find("Service", worker)).isEmpty();
        assertThat(listAt(jobs, "spec.template.spec.topologySpreadConstraints"))
                .allSatisfy(c -> assertThat(mapAt(c, "labelSelector.matchLabels"))
                        .isEqualTo(mapAt(jobs, "spec.selector.matchLabels")));
        Map<String, Object> policy = split.get("NetworkPolicy", worker);
        assertThat(mapAt(policy, "spec.podSelector.matchLabels")).isEqualTo(mapAt(jobs, "spec.selector.matchLabels"));
        assertThat(listAt(policy, "spec.ingress"))
                .as("nobody calls a worker pod but the metrics scrapers")
                .singleElement()
                .satisfies(rule -> assertThat(listAt(rule, "from"))
                        .allSatisfy(from -> assertThat(map(from)).containsOnlyKeys("namespaceSelector")));
        // 210 at the defaults, + (2 workers + 1) x pool 10
        assertThat(Chart.installNotes(Chart.merge(
                        Chart.requiredValues(), Map.of("metadata", Map.of("worker", Map.of("enabled", true))))))
                .contains("Postgres connections at full scale: up to 240");
    }

    private static Map<String, String> env(Map<String, Object> container) {
        Map<String, String> env = new LinkedHashMap<>();
        listAt(container, "env").forEach(e -> {
            Object value = map(e).get("value");
            if (value != null) {
                env.put((String) map(e).get("name"), String.valueOf(value));
            }
        });
        return env;
    }

    /**
     * A Postgres with failover and no service following its primary: every app is given every host
     * and connects to the primary (the driver's {@code targetServerType=primary}, as {@code
     * PostgresFailoverTest} runs metadata-service through a primary's death); a host without a port
     * takes {@code database.port}. Without standbys the URL names the one host, as before.
     */
    @Test
    void standbyHostsGiveEveryAppAUrlNamingEachHostThatConnectsToThePrimary() {
        Chart.Rendered failover = Chart.render(Chart.merge(
                Chart.requiredValues(), Map.of("database", Map.of("standbyHosts", List.of("pg-b", "pg-c:6432")))));
        Set<String> given = new TreeSet<>();
        for (App app : App.ALL) {
            if (config(failover, app).containsKey("DELTAPLANE_DB_URL")) {
                given.add(app.component());
                assertThat(config(failover, app))
                        .as(app.component())
                        .containsEntry(
                                "DELTAPLANE_DB_URL",
                                "jdbc:postgresql://pg.example.internal:5432,pg-b:5432,pg-c:6432/deltaplane"
                                        + "?sslmode=require&targetServerType=primary");
            }
        }
        assertThat(given).as("the apps given the URL").contains("metadata-service", "lineage-service");
        assertThatThrownBy(() -> Chart.render(Chart.merge(
                        Chart.requiredValues(), Map.of("database", Map.of("standbyHosts", List.of("pg-b/evil"))))))
                .hasMessageContaining("standbyHosts");
    }

    /** Replicas of one app are spread over nodes and zones by default, so one node's loss never takes them all. */
    @Test
    void everyAppsReplicasSpreadOverNodesAndZonesByDefault() {
        for (App app : App.ALL) {
            Map<String, Object> deployment = defaults.get("Deployment", name(app));
            List<Object> constraints = listAt(deployment, "spec.template.spec.topologySpreadConstraints");
            assertThat(constraints)
                    .extracting(c -> at(c, "topologyKey"))
                    .as(app.component())
                    .containsExactly("kubernetes.io/hostname", "topology.kubernetes.io/zone");
            for (Object constraint : constraints) {
                assertThat(at(constraint, "maxSkew")).isEqualTo(1);
                assertThat(at(constraint, "whenUnsatisfiable")).isEqualTo("ScheduleAnyway");
                assertThat(mapAt(constraint, "labelSelector.matchLabels"))
                        .as("the app's own pods")
                        .isEqualTo(mapAt(deployment, "spec.selector.matchLabels"));
            }
        }
        Chart.Rendered off =
                Chart.render(Chart.merge(Chart.requiredValues(), Map.of("topologySpread", Map.of("enabled", false))));
        assertThat(mapAt(off.get("Deployment", RELEASE + "-deltaplane-metadata"), "spec.template.spec"))
                .doesNotContainKey("topologySpreadConstraints");
    }

    @Test
    void aLocalDuckdbFileGetsOneWorkerRecreatedOnUpgradeAndMotherduckScales() {
        Map<String, Object> duckdb = defaults.get("Deployment", RELEASE + "-deltaplane-ingest");
        assertThat(at(duckdb, "spec.replicas")).isEqualTo(1);
        assertThat(at(duckdb, "spec.strategy.type")).isEqualTo("Recreate");
        assertThat(config(defaults, App.byComponent("ingest-worker")))
                .containsEntry("DELTAPLANE_WAREHOUSE_DUCKDB", "/var/lib/deltaplane/ingest/warehouse.duckdb");
        assertThat(listAt(
                        defaults.get("PersistentVolumeClaim", RELEASE + "-deltaplane-ingest-duckdb"),
                        "spec.accessModes"))
                .containsExactly("ReadWriteOnce");
        assertThat(listAt(duckdb, "spec.template.spec.volumes"))
                .anySatisfy(v -> assertThat(at(v, "persistentVolumeClaim.claimName"))
                        .isEqualTo(RELEASE + "-deltaplane-ingest-duckdb"));

        Map<String, Object> motherduck = production.get("Deployment", RELEASE + "-deltaplane-ingest");
        assertThat(at(motherduck, "spec.replicas")).isEqualTo(3);
        assertThat(at(motherduck, "spec.strategy.type")).isEqualTo("RollingUpdate");
        assertThat(config(production, App.byComponent("ingest-worker")))
                .containsEntry("DELTAPLANE_WAREHOUSE_DUCKDB", "md:lakehouse")
                .containsEntry("DELTAPLANE_KAFKA_BOOTSTRAP", "ns.servicebus.windows.net:9093")
                .containsEntry("DELTAPLANE_KAFKA_SESSION_TIMEOUT", "45s");
        assertThat(production.find("PersistentVolumeClaim", RELEASE + "-deltaplane-ingest-duckdb"))
                .isEmpty();
    }

    @Test
    void theWorkerWritesDeltaTargetsIntoTheWarehouseMetadataPublishesAndCommitsThroughIt() {
        for (Chart.Rendered rendered : List.of(defaults, production)) {
            Map<String, Object> worker = rendered.get("Deployment", RELEASE + "-deltaplane-ingest");
            Map<String, Object> metadata = rendered.get("Deployment", RELEASE + "-deltaplane-metadata");
            Object warehouseClaim = listAt(metadata, "spec.template.spec.volumes").stream()
                    .filter(v -> "warehouse".equals(at(v, "name")))
                    .map(v -> at(v, "persistentVolumeClaim.claimName"))
                    .findFirst()
                    .orElseThrow();
            assertThat(listAt(worker, "spec.template.spec.volumes"))
                    .anySatisfy(v ->
                            assertThat(at(v, "persistentVolumeClaim.claimName")).isEqualTo(warehouseClaim));
            assertThat(listAt(rendered.container("ingest"), "volumeMounts"))
                    .anySatisfy(m -> assertThat(at(m, "mountPath")).isEqualTo("/var/lib/deltaplane/warehouse"));
            assertThat(config(rendered, App.byComponent("ingest-worker")))
                    .containsEntry("DELTAPLANE_METADATA_URL", "http://dp-deltaplane-metadata:8081")
                    .containsEntry("DELTAPLANE_LINEAGE_URL", "http://dp-deltaplane-lineage:8082");
            assertThat(secretRefs(rendered, App.byComponent("ingest-worker")))
                    .containsKey("DELTAPLANE_SERVICE_API_KEY");
        }
    }

    @Test
    void aWarehouseAndArtifactsOnObjectStorageNeedNoClaimsAndNoVolumes() {
        Chart.Rendered onS3 = Chart.render(Chart.merge(
                Chart.requiredValues(),
                Map.of(
                        "metadata",
                        Map.of(
                                "warehouse",
                                Map.of("uri", "s3://lake/warehouse"),
                                "objectStorage",
                                Map.of("aws", Map.of("region", "eu-west-1"))),
                        "lineage",
                        Map.of("artifacts", Map.of("uri", "s3://lake/artifacts")))));
        assertThat(config(onS3, App.byComponent("lineage-service")))
                .containsEntry("DELTAPLANE_ARTIFACTS_URI", "s3://lake/artifacts")
                .containsEntry("AWS_REGION", "eu-west-1")
                .doesNotContainKey("DELTAPLANE_ARTIFACTS_DIR");
        assertThat(onS3.find("PersistentVolumeClaim", RELEASE + "-deltaplane-lineage-artifacts"))
                .isEmpty();
        assertThat(listAt(onS3.get("Deployment", RELEASE + "-deltaplane-lineage"), "spec.template.spec.volumes"))
                .noneSatisfy(v -> assertThat(at(v, "name")).isEqualTo("artifacts"));
        assertThat(config(onS3, App.byComponent("metadata-service")))
                .containsEntry("DELTAPLANE_WAREHOUSE_URI", "s3://lake/warehouse")
                .doesNotContainKey("DELTAPLANE_WAREHOUSE_DIR");
        assertThat(onS3.find("PersistentVolumeClaim", RELEASE + "-deltaplane-metadata-warehouse"))
                .isEmpty();
        for (String app : List.of("metadata", "ingest")) {
            assertThat(listAt(onS3.get("Deployment", RELEASE + "-deltaplane-" + app), "spec.template.spec.volumes"))
                    .noneSatisfy(v -> assertThat(at(v, "name")).isEqualTo("warehouse"));
            assertThat(listAt(onS3.container(app), "volumeMounts"))
                    .noneSatisfy(m -> assertThat(at(m, "name")).isEqualTo("warehouse"));
        }
        // The local default keeps its claim.
        assertThat(defaults.find("PersistentVolumeClaim", RELEASE + "-deltaplane-metadata-warehouse"))
                .isPresent();
        assertThatThrownBy(() -> Chart.render(Chart.merge(
                        Chart.requiredValues(), Map.of("metadata", Map.of("warehouse", Map.of("uri", "ftp://x/y"))))))
                .hasMessageContaining("uri");
    }

    @Test
    void prometheusScrapesAnOpenedMetricsPathWhileEverythingElseKeepsItsKey() throws NoSuchMethodException {
        List<String> defaultsOfTheApps = Arrays.asList(SecurityProperties.class
                .getDeclaredConstructor(
                        String.class, List.class, SecurityProperties.FailedAuthentications.class, List.class)
                .getParameters()[1]
                .getAnnotation(DefaultValue.class)
                .value());
        for (App app : App.ALL) {
            Map<String, Object> annotations =
                    mapAt(defaults.get("Deployment", name(app)), "spec.template.metadata.annotations");
            assertThat(annotations)
                    .containsEntry("prometheus.io/scrape", "true")
                    .containsEntry("prometheus.io/port", String.valueOf(app.defaultPort()))
                    .containsEntry("prometheus.io/path", "/actuator/prometheus");

            List<String> open = Arrays.asList(
                    config(defaults, app).get("DELTAPLANE_SECURITY_OPENPATHS").split(","));
            // Replacing the list must keep the apps' own open paths (health, API documents).
            assertThat(open).containsAll(defaultsOfTheApps).contains("/actuator/prometheus");
            assertThat(open.stream().filter(p -> !defaultsOfTheApps.contains(p)))
                    .containsExactly("/actuator/prometheus");
        }
        Chart.Rendered noMetrics =
                Chart.render(Chart.merge(Chart.requiredValues(), Map.of("metrics", Map.of("enabled", false))));
        for (App app : App.ALL) {
            assertThat(config(noMetrics, app)).doesNotContainKey("DELTAPLANE_SECURITY_OPENPATHS");
            assertThat(mapAt(noMetrics.get("Deployment", name(app)), "spec.template.metadata.annotations"))
                    .doesNotContainKey("prometheus.io/scrape");
        }
    }

    @Test
    void podsRunLockedDownUnderTheirOwnServiceAccount() {
        Map<String, Object> account = defaults.get("ServiceAccount", RELEASE + "-deltaplane");
        assertThat(account.get("automountServiceAccountToken")).isEqualTo(false);
        for (App app : App.ALL) {
            Map<String, Object> pod = mapAt(defaults.get("Deployment", name(app)), "spec.template.spec");
            Map<String, Object> container = defaults.container(app.valuesKey());

            assertThat(pod.get("serviceAccountName")).isEqualTo(RELEASE + "-deltaplane");
            // Service links would inject DELTAPLANE_<SVC>_PORT=tcp://…, which Spring binds as deltaplane.* settings.
            assertThat(pod.get("enableServiceLinks")).isEqualTo(false);
            assertThat(at(pod, "securityContext.runAsNonRoot")).isEqualTo(true);
            assertThat(at(pod, "securityContext.runAsUser")).isEqualTo(10001);
            assertThat(at(container, "securityContext.readOnlyRootFilesystem")).isEqualTo(true);
            assertThat(at(container, "securityContext.allowPrivilegeEscalation"))
                    .isEqualTo(false);
            assertThat(listAt(container, "volumeMounts"))
                    .anySatisfy(m -> assertThat(at(m, "mountPath")).isEqualTo("/tmp"));
            assertThat(listAt(container, "lifecycle.preStop.exec.command")).containsExactly("sleep", "5");
        }
    }

    @Test
    void onlyTheGatewayCanBeExposedThroughAnIngress() {
        assertThat(defaults.ofKind("Ingress")).isEmpty();
        List<Map<String, Object>> ingresses = production.ofKind("Ingress");
        assertThat(ingresses).hasSize(1);
        Set<Object> backends = listAt(ingresses.get(0), "spec.rules").stream()
                .flatMap(rule -> listAt(rule, "http.paths").stream())
                .map(path -> at(path, "backend.service.name"))
                .collect(Collectors.toSet());
        assertThat(backends).containsExactly(RELEASE + "-deltaplane-gateway");
        assertThat(at(ingresses.get(0), "spec.ingressClassName")).isEqualTo("nginx");
    }

    @Test
    void singleSignOnReachesEveryAppAndEachTrustsTheProxyInFrontOfIt() {
        assertThat(config(defaults, App.byComponent("gateway")))
                .containsEntry("DELTAPLANE_OIDC_ISSUERS", "")
                .containsEntry("DELTAPLANE_TRUSTED_PROXIES", "");
        Chart.Rendered sso = Chart.render(Chart.merge(
                Chart.requiredValues(),
                Map.of(
                        "auth",
                        Map.of(
                                "existingSecret", "deltaplane-auth",
                                "oidc",
                                        Map.of(
                                                "issuers",
                                                List.of("https://login.example.com/t1/v2.0", "https://idp.example.org"),
                                                "audience",
                                                "api://deltaplane",
                                                "createPrincipals",
                                                false,
                                                "consoleClientId",
                                                "deltaplane-console"),
                                "trustedProxies", List.of("10.0.0.0/8", "192.168.1.7")))));
        for (App app : App.ALL) {
            assertThat(config(sso, app))
                    .as(app.component())
                    .containsEntry(
                            "DELTAPLANE_OIDC_ISSUERS", "https://login.example.com/t1/v2.0,https://idp.example.org")
                    .containsEntry("DELTAPLANE_OIDC_AUDIENCE", "api://deltaplane")
                    .containsEntry("DELTAPLANE_OIDC_PRINCIPAL_CLAIM", "email")
                    .containsEntry("DELTAPLANE_OIDC_CREATE_PRINCIPALS", "false");
        }
        // the gateway trusts the ingress; the services trust the gateway's pod network, so the
        // client's address the gateway resolved reaches their audit rows
        assertThat(config(sso, App.byComponent("gateway")))
                .containsEntry("DELTAPLANE_TRUSTED_PROXIES", "10.0.0.0/8,192.168.1.7");
        for (App app : App.ALL) {
            if (!app.component().equals("gateway")) {
                assertThat(config(sso, app))
                        .as(app.component())
                        .containsEntry(
                                "DELTAPLANE_TRUSTED_PROXIES",
                                "10.0.0.0/8,172.16.0.0/12,192.168.0.0/16,100.64.0.0/10,fd00::/8");
            }
        }
        assertThat(config(sso, App.byComponent("gateway")))
                .as("the console signs in with the provider")
                .containsEntry("DELTAPLANE_CONSOLE_OIDC_CLIENT_ID", "deltaplane-console")
                .containsEntry("DELTAPLANE_CONSOLE_OIDC_SCOPE", "openid profile email");
    }

    @Test
    void aChangedSettingRollsThePods() {
        Chart.Rendered otherHost = Chart.render(
                Chart.merge(Chart.requiredValues(), Map.of("database", Map.of("host", "pg2.example.internal"))));
        for (App app : App.ALL) {
            String before = (String)
                    at(defaults.get("Deployment", name(app)), "spec.template.metadata.annotations.checksum/config");
            String after = (String)
                    at(otherHost.get("Deployment", name(app)), "spec.template.metadata.annotations.checksum/config");
            assertThat(after).as(app.component()).isNotBlank().isNotEqualTo(before);
        }
    }

    private static String name(App app) {
        return RELEASE + "-deltaplane-" + app.valuesKey();
    }

    private static Map<String, String> config(Chart.Rendered rendered, App app) {
        Map<String, String> data = new LinkedHashMap<>();
        mapAt(rendered.get("ConfigMap", name(app)), "data").forEach((k, v) -> data.put(k, String.valueOf(v)));
        return data;
    }

    /** env name -> secret/key of every secretKeyRef in the app's container. */
    private static Map<String, String> secretRefs(Chart.Rendered rendered, App app) {
        Map<String, String> refs = new LinkedHashMap<>();
        for (Object env : listAt(rendered.container(app.valuesKey()), "env")) {
            Object ref = at(env, "valueFrom.secretKeyRef");
            if (ref != null) {
                refs.put((String) at(env, "name"), at(ref, "name") + "/" + at(ref, "key"));
            }
        }
        return refs;
    }

    /** helm/examples/*.yaml, as docs/deploy.md installs them: object storage, identity, no claims. */
    @Test
    void theDocumentedObjectStorageInstallsRenderWithoutClaimsAndWithTheirIdentity() {
        for (String example : List.of("adls-gen2", "s3")) {
            Map<String, Object> values = Yamls.load(Repository.ROOT.resolve("helm/examples/" + example + ".yaml"));
            Chart.Rendered rendered = Chart.render(Chart.merge(Chart.requiredValues(), values));
            assertThat(rendered.find("PersistentVolumeClaim", RELEASE + "-deltaplane-metadata-warehouse"))
                    .as(example)
                    .isEmpty();
            assertThat(rendered.find("PersistentVolumeClaim", RELEASE + "-deltaplane-lineage-artifacts"))
                    .as(example)
                    .isEmpty();
            String scheme = example.equals("s3") ? "s3://" : "abfss://";
            assertThat(config(rendered, App.byComponent("metadata-service")).get("DELTAPLANE_WAREHOUSE_URI"))
                    .startsWith(scheme);
            assertThat(config(rendered, App.byComponent("lineage-service")).get("DELTAPLANE_ARTIFACTS_URI"))
                    .startsWith(scheme);
            Map<String, Object> account = rendered.get("ServiceAccount", "deltaplane");
            assertThat(mapAt(account, "metadata.annotations"))
                    .containsKey(
                            example.equals("s3") ? "eks.amazonaws.com/role-arn" : "azure.workload.identity/client-id");
            for (App app : App.ALL) {
                Map<String, Object> deployment = rendered.get("Deployment", name(app));
                assertThat(at(deployment, "spec.template.spec.serviceAccountName"))
                        .as("%s runs as the annotated service account", app.component())
                        .isEqualTo("deltaplane");
                if (example.equals("adls-gen2")) {
                    assertThat(mapAt(deployment, "spec.template.metadata.labels"))
                            .containsEntry("azure.workload.identity/use", "true");
                }
            }
            // No secret: the identity comes from the service account.
            assertThat(secretRefs(rendered, App.byComponent("metadata-service")))
                    .doesNotContainKeys(
                            "AZURE_STORAGE_KEY", "AZURE_STORAGE_CONNECTION_STRING", "AWS_SECRET_ACCESS_KEY");
        }
    }
}
