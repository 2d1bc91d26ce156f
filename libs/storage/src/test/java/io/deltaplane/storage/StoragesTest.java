package io.deltaplane.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.deltaplane.support.problem.ApiException;
import io.deltaplane.support.problem.ErrorCode;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StoragesTest {

    private final Storages storages = Storages.fromEnvironment(Map.of());

    @Test
    void theSchemeChoosesTheBackend() {
        assertThat(storages.forLocation("file:/tmp/t")).isInstanceOf(LocalFileStorage.class);
        assertThat(storages.forLocation("/tmp/t")).isInstanceOf(LocalFileStorage.class);
        Storage s3 = storages.forLocation("s3://bucket/t");
        assertThat(storages.forLocation("s3a://bucket/t")).isSameAs(s3);
        Storage azure = storages.forLocation("abfss://c@acct.dfs.core.windows.net/t");
        assertThat(storages.forLocation("az://c/t")).isSameAs(azure);
        assertThat(storages.forLocation("wasbs://c@acct.blob.core.windows.net/t"))
                .isSameAs(azure);
        assertThat(azure).isNotSameAs(s3);
    }

    @Test
    void aMalformedStorageTimeoutFailsWhenTheStorageIsConfiguredNotAtItsFirstUse() {
        // A service builds its Storages at startup (a Spring bean); the object store clients come
        // later, on first use, and used to be the first to read the variable.
        assertThatThrownBy(() ->
                        Storages.fromVariables(name -> name.equals(StorageTimeout.VARIABLE) ? "30 seconds" : null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("DELTAPLANE_STORAGE_TIMEOUT")
                .hasMessageContaining("'30 seconds'")
                .hasMessageContaining("30s, 500ms, 2m, PT30S");
        assertThatThrownBy(() -> Storages.fromEnvironment(Map.of(StorageTimeout.VARIABLE, "0s")))
                .hasMessageContaining("must be positive");
        assertThat(Storages.fromEnvironment(Map.of(StorageTimeout.VARIABLE, "2m"))
                        .forLocation("s3://bucket/t"))
                .isNotNull();
    }

    @Test
    void objectStoreClientsAreNotBuiltUntilALocationOfTheirsIsUsed() {
        LazyStorage s3 = (LazyStorage) storages.forLocation("s3://bucket/t");
        LazyStorage azure = (LazyStorage) storages.forLocation("az://c/t");
        // Choosing and joining paths needs no client (nor credentials, nor a region).
        assertThat(s3.resolve("s3://bucket/t/", "_delta_log/0.json")).isEqualTo("s3://bucket/t/_delta_log/0.json");
        assertThat(s3.started()).isFalse();
        assertThat(azure.started()).isFalse();
    }

    @Test
    void fromVariablesLooksUpEverySdkVariableAndServesEveryScheme() {
        java.util.List<String> asked = new java.util.ArrayList<>();
        Storages configured = Storages.fromVariables(name -> {
            asked.add(name);
            return name.equals("AWS_REGION") ? "eu-west-1" : null;
        });
        assertThat(asked).containsExactlyElementsOf(Storages.ENVIRONMENT_VARIABLES);
        assertThat(configured.forLocation("s3://bucket/t")).isInstanceOf(LazyStorage.class);
        assertThat(configured.forLocation("abfss://c@acct.dfs.core.windows.net/t"))
                .isInstanceOf(LazyStorage.class);
        assertThat(configured.forLocation("file:/tmp/t")).isInstanceOf(LocalFileStorage.class);
    }

    @Test
    void anUnknownSchemeIsAnUnsupportedLocation() {
        assertThatThrownBy(() -> storages.forLocation("gs://bucket/t"))
                .isInstanceOfSatisfying(
                        ApiException.class,
                        e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.UNSUPPORTED_LOCATION.name()));
    }

    @Test
    void theLazyWrapperPassesOnEveryOperationOfTheInterface() throws Exception {
        // A default method the wrapper does not override would answer with the default (e.g. "no
        // signed URLs") instead of the backend's: every Storage method must be its own.
        for (java.lang.reflect.Method method : Storage.class.getMethods()) {
            assertThat(LazyStorage.class
                            .getMethod(method.getName(), method.getParameterTypes())
                            .getDeclaringClass())
                    .as("LazyStorage overrides %s", method)
                    .isEqualTo(LazyStorage.class);
        }
    }
}
