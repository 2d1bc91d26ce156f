package io.deltaplane.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * When the platform may use {@code DefaultAzureCredential} for a storage account: only when the
 * operator named an identity. Its managed identity step asks the instance metadata service
 * (169.254.169.254) on any machine — a connection nobody configured, which the docs tests caught when
 * the maintenance worker met a table left on Azurite while the platform ran on the local directory.
 */
class AzureIdentityTest {

    @Test
    void withoutAnyAzureSettingsAnAccountIsRefusedAndTheErrorSaysWhatToSet() {
        AzureClients clients = AzureClients.fromEnvironment(Map.of());
        assertThatThrownBy(() -> clients.forAccount().apply("devstoreaccount1"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("devstoreaccount1")
                .hasMessageContaining("AZURE_STORAGE_CONNECTION_STRING")
                .hasMessageContaining("instance metadata");
    }

    @Test
    void aConnectionStringServesItsAccountAndNoOther() {
        AzureClients clients = AzureClients.fromEnvironment(Map.of(
                "AZURE_STORAGE_CONNECTION_STRING",
                "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=a2V5;"
                        + "BlobEndpoint=http://127.0.0.1:10000/devstoreaccount1;"));
        assertThat(clients.forAccount().apply("devstoreaccount1").getAccountName())
                .isEqualTo("devstoreaccount1");
        assertThatThrownBy(() -> clients.forAccount().apply("otheraccount"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("otheraccount");
    }

    @Test
    void aNamedIdentityIsUsedForAccountsWithoutAKey() {
        for (String variable : AzureClients.IDENTITY_VARIABLES) {
            AzureClients clients = AzureClients.fromEnvironment(Map.of(variable, "set-by-the-operator"));
            // building the client asks nothing yet: the credential is used on the first request
            assertThat(clients.forAccount().apply("lakeaccount").getAccountUrl())
                    .as(variable)
                    .isEqualTo("https://lakeaccount.blob.core.windows.net");
        }
    }
}
